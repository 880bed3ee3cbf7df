using System.CommandLine;
using Kiosk.Central.Admin;
using Kiosk.Central.Reports;
using Kiosk.Central.Scoring;

namespace Kiosk.Central.Cli;

/// <summary>year: the year view — 旷工 days with the > 5 days alert, notices, suggested grade (policy).</summary>
internal static class YearCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var year = new Option<int>("--year") { Description = "年度 · year", Required = true };
        var upTo = new Option<int>("--up-to-month") { Description = "计到几月 · last month to include (default 12)", DefaultValueFactory = _ => 12 };
        var office = new Option<string?>("--office") { Description = "社区 · one office (default: all)" };
        var output = new Option<FileInfo?>("--out") { Description = "输出 CSV · output CSV (default: standard output)" };
        var complete = ReportCommand.CompleteUpToOption();
        var command = new Command("year", "年度考勤汇总 · year view: 旷工 days, alert, notices, suggested grade") { db, year, upTo, office, output, complete };
        command.SetAction(async (parse, ct) => await CliCommon.WithStoreAsync(parse, db, async connection =>
        {
            var y = parse.GetValue(year);
            var last = parse.GetValue(upTo);
            if (last is < 1 or > 12)
            {
                throw new AdminException("--up-to-month: 1–12");
            }

            var input = await StoreScoring.LoadAsync(connection, parse.GetValue(db)!, parse.GetValue(office), new DateOnly(y, 1, 1),
                new DateOnly(y, last, 1).AddMonths(1).AddDays(-1), ReportCommand.ParseCompleteUpTo(parse.GetValue(complete)), ct);
            var csv = YearReport.ToCsv(YearReport.Build(input, y, last, AddNotice.CountByWorker(connection, y)));
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, csv, new System.Text.UTF8Encoding(true), ct);
            }
            else
            {
                Console.Write(csv);
            }

            return 0;
        }, ct));
        return command;
    }
}
