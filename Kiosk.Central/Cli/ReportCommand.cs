using System.CommandLine;
using System.Globalization;
using Kiosk.Central.Admin;
using Kiosk.Central.Reports;
using Kiosk.Central.Scoring;

namespace Kiosk.Central.Cli;

/// <summary>report month: the monthly report per office or for the whole sub-district, CSV or XLSX (issue 6).</summary>
internal static class ReportCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var month = new Option<string>("--month") { Description = "月份 · month yyyy-MM", Required = true };
        var office = new Option<string?>("--office") { Description = "社区 · one office (default: the whole sub-district)" };
        var output = new Option<FileInfo>("--out") { Description = "报表 · report file: .csv, .xlsx or .json", Required = true };
        var complete = CompleteUpToOption();
        var command = new Command("month", "月度考勤报表 · monthly attendance report") { db, month, office, output, complete };
        command.SetAction(async (parse, ct) => await CliCommon.WithStoreAsync(parse, db, async connection =>
        {
            var (y, m) = CliCommon.ParseMonth(parse.GetValue(month)!, "--month");
            var first = new DateOnly(y, m, 1);
            var input = await StoreScoring.LoadAsync(connection, parse.GetValue(db)!, parse.GetValue(office), first, first.AddMonths(1).AddDays(-1),
                ParseCompleteUpTo(parse.GetValue(complete)), ct);
            var report = ReportBuilder.Build(y, m, parse.GetValue(office) ?? "全街道", MonthScoring.Score(input, y, m));
            ScoreFiles.WriteByExtension(report, parse.GetValue(output)!.FullName);
            Console.WriteLine($"已生成 · wrote {report.Rows.Count} workers, {report.Deductions.Count} deductions to {parse.GetValue(output)!.FullName}");
            return 0;
        }, ct));
        return CliCommon.Group("report", "报表 · reports", command);
    }

    public static Option<string?> CompleteUpToOption() => new("--complete-up-to")
    {
        Description = "数据完整截止 · override the offices' watermark (default: from the devices' status and the stored events)",
    };

    public static DateTimeOffset? ParseCompleteUpTo(string? text) =>
        text is null ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) && text.Contains('T', StringComparison.Ordinal)
            ? v
            : throw new AdminException($"--complete-up-to: '{text}' is not a local time with offset, e.g. 2026-03-31T23:59:59+08:00");
}
