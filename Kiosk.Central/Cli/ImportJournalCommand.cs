using System.CommandLine;
using Kiosk.Central.Admin;

namespace Kiosk.Central.Cli;

/// <summary>import-journal: the USB ("sneakernet") import of a kiosk's signed journal export (issue 6).</summary>
internal static class ImportJournalCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var file = new Argument<FileInfo>("file") { Description = "导出文件 · the journal export from the kiosk's USB stick (JSON Lines of signed batches)" };
        var command = new Command("import-journal", "导入U盘考勤记录 · import a kiosk's journal exported to USB (signatures verified)") { db, file };
        command.SetAction(async (parse, ct) => await CliCommon.WithStoreAsync(parse, db, async _ =>
        {
            using var reader = new StreamReader(parse.GetValue(file)!.FullName);
            var summary = await ImportJournal.RunAsync(parse.GetValue(db)!, reader, ct);
            Console.WriteLine($"导入 · {summary.Batches} batches: {summary.Stored} new events stored, {summary.Duplicates} already present");
            foreach (var p in summary.Problems)
            {
                Console.Error.WriteLine("  " + p);
            }

            return summary.Problems.Count == 0 ? 0 : 3;
        }, ct));
        return command;
    }
}
