using System.CommandLine;
using Kiosk.Central.Admin;
using Kiosk.Central.Scoring;

namespace Kiosk.Central.Cli;

/// <summary>score-files: the monthly report from files alone (issue 6; docs/central.md has an example).</summary>
internal static class ScoreFilesCommand
{
    public static Command Build()
    {
        var roster = new Option<FileInfo>("--roster") { Description = "花名册 CSV · roster CSV", Required = true };
        var events = new Option<FileInfo>("--events") { Description = "考勤记录 · events, JSON Lines (one journal envelope per line)", Required = true };
        var settings = new Option<FileInfo?>("--settings") { Description = "规则设置 · rules settings JSON (default: built-in defaults)" };
        var calendar = new Option<FileInfo[]>("--calendar") { Description = "日历 · exception-list JSON of a year (repeatable; 2025 and 2026 are built in)", AllowMultipleArgumentsPerToken = true };
        var month = new Option<string>("--month") { Description = "月份 · month yyyy-MM", Required = true };
        var complete = new Option<string>("--complete-up-to") { Description = "数据完整截止 · data complete up to, e.g. 2026-03-31T23:59:59+08:00", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "报表 · report file: .csv, .json or .xlsx", Required = true };
        var command = new Command("score-files", "按文件计分 · score a month from files alone (no broker, no database)")
        {
            roster, events, settings, calendar, month, complete, output,
        };
        command.SetAction(parse => CliCommon.Guard(() =>
        {
            var (y, m) = CliCommon.ParseMonth(parse.GetValue(month)!, "--month");
            var upTo = ReportCommand.ParseCompleteUpTo(parse.GetValue(complete))
                ?? throw new AdminException("--complete-up-to is required: scoring from files never guesses how complete they are");

            var report = ScoreFiles.Run(parse.GetValue(roster)!.FullName, parse.GetValue(events)!.FullName, parse.GetValue(settings)?.FullName,
                (parse.GetValue(calendar) ?? []).Select(f => f.FullName).ToList(), y, m, upTo);
            ScoreFiles.WriteByExtension(report, parse.GetValue(output)!.FullName);
            Console.WriteLine($"已生成 · wrote {report.Rows.Count} workers, {report.Deductions.Count} deductions to {parse.GetValue(output)!.FullName}");
            return 0;
        }));
        return command;
    }
}
