using System.CommandLine;
using System.Globalization;
using Kiosk.Central.Scoring;

namespace Kiosk.Central.Cli;

/// <summary>export-month: an office's month as the input files of `score-files`, for audit and reconciliation.</summary>
internal static class ExportMonthCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var office = new Option<string>("--office") { Description = "社区 · office id", Required = true };
        var month = new Option<string>("--month") { Description = "月份 · month yyyy-MM", Required = true };
        var outDir = new Option<DirectoryInfo>("--out-dir") { Description = "输出目录 · directory for roster.csv, events.jsonl, settings.json, calendars", Required = true };
        var command = new Command("export-month", "导出核对文件 · export an office's month as the files score-files takes") { db, office, month, outDir };
        command.SetAction(async (parse, ct) => await CliCommon.WithStoreAsync(parse, db, async connection =>
        {
            var (y, m) = CliCommon.ParseMonth(parse.GetValue(month)!, "--month");
            var upTo = await ExportMonth.RunAsync(connection, parse.GetValue(db)!, parse.GetValue(office)!, y, m, parse.GetValue(outDir)!.FullName, ct);
            Console.WriteLine($"已导出 · exported to {parse.GetValue(outDir)!.FullName}; the office is complete up to {upTo.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)}");
            return 0;
        }, ct));
        return command;
    }
}
