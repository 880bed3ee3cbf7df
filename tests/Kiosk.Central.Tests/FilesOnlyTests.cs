using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kiosk.Central.Reports;

namespace Kiosk.Central.Tests;

public sealed class FilesOnlyTests
{
    private static readonly bool Regenerate = Environment.GetEnvironmentVariable("KIOSK_REGEN_EXAMPLES") == "1";

    private static void CheckOrWrite(string name, string expected)
    {
        var path = Path.Combine(ExampleData.Directory(), name);
        if (Regenerate)
        {
            Directory.CreateDirectory(ExampleData.Directory());
            File.WriteAllText(path, expected, new UTF8Encoding(false));
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the tests once with KIOSK_REGEN_EXAMPLES=1");
        Assert.Equal(expected, File.ReadAllText(path));
    }

    [Fact]
    public void The_example_files_in_the_repository_are_the_documented_scenario()
    {
        CheckOrWrite("roster.csv", ExampleData.Roster);
        CheckOrWrite("events.jsonl", ExampleData.EventsJsonl());
        CheckOrWrite("settings.json", JsonNode.Parse(ExampleData.SettingsJson())!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        var calendar = Path.Combine(ExampleData.Directory(), "..", "..", "Kiosk.Core", "Calendar", "Data", "2026.json");
        CheckOrWrite("calendar-2026.json", File.ReadAllText(calendar));
    }

    [Fact]
    public async Task Scoring_the_example_from_files_alone_gives_the_expected_report()
    {
        using var dir = new TempDir();
        var ex = ExampleData.Directory();
        string Arg(string f) => Path.Combine(ex, f);
        var (code, _, err) = await CliRunner.RunAsync("score-files", "--roster", Arg("roster.csv"), "--events", Arg("events.jsonl"),
            "--settings", Arg("settings.json"), "--calendar", Arg("calendar-2026.json"), "--month", ExampleData.Month,
            "--complete-up-to", ExampleData.CompleteUpTo, "--out", dir.File("report.json"));
        Assert.True(code == 0, err);

        using var stream = File.OpenRead(dir.File("report.json"));
        var report = JsonReportWriter.Read(stream);
        var rows = report.Rows.ToDictionary(r => r.WorkerId);
        Assert.Equal(["w1", "w2", "w3", "w4"], rows.Keys);   // section and leader are not scored

        // Feb 2026: 16 workdays (incl. the 调休 Saturdays 14 and 28 Feb; 15–23 Feb Spring Festival) = 32 half-days.
        Assert.Equal((32, 32, true, 80m, 19, 99m), (rows["w1"].RequiredHalfDays, rows["w1"].OnTime, rows["w1"].FullAttendance,
            rows["w1"].RecordPoints, rows["w1"].SecretaryPoints, rows["w1"].Total));
        // w2: late 5 min (−1), seriously late 40 min (−2), 旷工 5 Feb pm and 14 Feb (调休 Saturday) am (−5 each), excused 4 Feb am.
        Assert.Equal((2, 45, 2, 1, 67m, 85m, false), (rows["w2"].LateCount, rows["w2"].LateMinutes, rows["w2"].AbsentHalfDays,
            rows["w2"].ExcusedHalfDays, rows["w2"].RecordPoints, rows["w2"].Total, rows["w2"].FullAttendance));
        // w3: approved leave 9 Feb (2 half-days), pending leave 10 Feb am (neither 旷工 nor covered), self-excuse 11 Feb am → 旷工.
        Assert.Equal((2, 1, 75m, 95m), (rows["w3"].LeaveHalfDays, rows["w3"].AbsentHalfDays, rows["w3"].RecordPoints, rows["w3"].Total));
        Assert.Contains("请假待批1个半天", rows["w3"].Remarks, StringComparison.Ordinal);
        Assert.Contains("本人标明原因无效1次", rows["w3"].Remarks, StringComparison.Ordinal);
        // w4 joined on 24 Feb: 24–28 Feb = 5 workdays; one 脱岗 finding (−5).
        Assert.Equal((10, 75m, 90m, false), (rows["w4"].RequiredHalfDays, rows["w4"].RecordPoints, rows["w4"].Total, rows["w4"].FullAttendance));

        Assert.Contains(report.Deductions, d => d is { WorkerId: "w2", Session: "下午", Points: 5m } && d.Date == new DateOnly(2026, 2, 5));
        Assert.Contains(report.Deductions, d => d is { WorkerId: "w2", Session: "上午", Points: 5m } && d.Date == new DateOnly(2026, 2, 14));
        Assert.Contains(report.Deductions, d => d is { WorkerId: "w4", Session: "下午" } && d.Cause.Contains("脱岗", StringComparison.Ordinal));
        Assert.Equal(80m - 67m, report.Deductions.Where(d => d.WorkerId == "w2").Sum(d => d.Points));
    }

    [Fact]
    public async Task The_expected_csv_report_in_the_repository_is_what_score_files_writes()
    {
        using var dir = new TempDir();
        var ex = ExampleData.Directory();
        var (code, _, err) = await CliRunner.RunAsync("score-files", "--roster", Path.Combine(ex, "roster.csv"), "--events",
            Path.Combine(ex, "events.jsonl"), "--settings", Path.Combine(ex, "settings.json"), "--month", ExampleData.Month,
            "--complete-up-to", ExampleData.CompleteUpTo, "--out", dir.File("report.csv"));
        Assert.True(code == 0, err);
        var actual = File.ReadAllText(dir.File("report.csv"));
        var expectedPath = Path.Combine(ex, "expected-report.csv");
        if (Regenerate)
        {
            File.Copy(dir.File("report.csv"), expectedPath, overwrite: true);
        }

        Assert.Equal(File.ReadAllText(expectedPath), actual);
    }

    [Fact]
    public async Task An_edited_event_line_is_refused_with_its_line_number_and_no_report_is_written()
    {
        using var dir = new TempDir();
        var ex = ExampleData.Directory();
        var lines = File.ReadAllLines(Path.Combine(ex, "events.jsonl"));
        lines[1] = lines[1].Replace("07:55:00", "07:45:00", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(dir.File("events.jsonl"), lines);
        var (code, _, err) = await CliRunner.RunAsync("score-files", "--roster", Path.Combine(ex, "roster.csv"), "--events",
            dir.File("events.jsonl"), "--month", ExampleData.Month, "--complete-up-to", ExampleData.CompleteUpTo, "--out", dir.File("r.csv"));
        Assert.Equal(2, code);
        Assert.Contains("line 2: hash does not match", err, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("r.csv")));
    }

    [Fact]
    public async Task An_office_month_exported_from_the_store_scores_to_the_same_report_from_files_alone()
    {
        using var centre = new Centre();
        await centre.ImportRosterAsync(ExampleData.Roster);
        await centre.RegisterAsync("hongqi", "hongqi-door");
        var rows = new Journal("hongqi", "hongqi-door").OnTime("w1", Journal.Workdays(2026, 3)).OnTime("w2", Journal.Workdays(2026, 3, toDay: 20))
            .Punch("w3", new DateOnly(2026, 3, 2), 8, 20).Build();
        await centre.ImportJournalAsync(rows);
        await centre.RunOkAsync("finding", "add", "--worker", "w1", "--date", "2026-03-04", "--session", "Morning", "--inspector", "检查组");
        await centre.RunOkAsync("points", "set", "--worker", "w2", "--month", "2026-03", "--points", "16", "--by", "w1");

        await centre.RunOkAsync("report", "month", "--month", "2026-03", "--office", "hongqi", "--out", centre.Dir.File("store.csv"));
        var export = centre.Dir.File("export");
        Assert.Contains("complete up to 2026-03-31T12:55:00+08:00", await centre.RunOkAsync("export-month", "--office", "hongqi", "--month", "2026-03",
            "--out-dir", export), StringComparison.Ordinal);
        var upTo = File.ReadAllText(Path.Combine(export, "complete-up-to.txt")).Trim();
        var (code, _, err) = await CliRunner.RunAsync("score-files", "--roster", Path.Combine(export, "roster.csv"), "--events",
            Path.Combine(export, "events.jsonl"), "--settings", Path.Combine(export, "settings.json"), "--month", "2026-03",
            "--complete-up-to", upTo, "--out", centre.Dir.File("files.csv"));
        Assert.True(code == 0, err);
        var fromStore = File.ReadAllText(centre.Dir.File("store.csv"));
        Assert.Equal(fromStore, File.ReadAllText(centre.Dir.File("files.csv")));
        Assert.Contains("待定", fromStore, StringComparison.Ordinal);   // the afternoon of 31 March closes after the watermark: pending for w2 and w3
    }
}
