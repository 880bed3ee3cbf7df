using DocumentFormat.OpenXml.Packaging;
using Kiosk.Central.Reports;
using Kiosk.Core.Events;

namespace Kiosk.Central.Tests;

public sealed class StoreScenarioTests
{
    private const string Roster = """
        worker_id,name,badge,office,role,role_from,role_to,employed_from,employed_to,finger_slots
        w1,张三,B-w1,hongqi,secretary,,,2018-03-01,,1
        w2,李四,B-w2,hongqi,worker,,,2020-07-01,,2
        w3,王五,B-w3,hongqi,worker,,,2021-01-04,,3
        x1,钱七,B-x1,xinhua,secretary,,,2019-01-01,,1
        s1,孙科长,B-s1,jiedao,section,,,2015-01-01,,
        l1,周主任,B-l1,jiedao,leader,,,2012-01-01,,
        h1,吴主任,B-h1,jiedao,head,,,2010-01-01,,

        """;

    private static DateOnly Mar(int day) => new(2026, 3, day);

    private static async Task<Centre> NewCentreAsync()
    {
        var centre = new Centre();
        await centre.ImportRosterAsync(Roster);
        await centre.RegisterAsync("hongqi", "hongqi-door");
        return centre;
    }

    [Fact]
    public async Task An_office_offline_for_a_week_shows_pending_then_is_scored_when_its_logs_arrive()
    {
        using var centre = await NewCentreAsync();
        var journal = new Journal("hongqi", "hongqi-door");
        foreach (var w in new[] { "w1", "w2", "w3" })
        {
            journal.OnTime(w, Journal.Workdays(2026, 3).Where(d => !(w == "w2" && d.Day == 25)));   // w2 absent all of 25 March
        }

        var rows = journal.Build();
        var beforeOutage = rows.Where(r => r.Event.At < Journal.At(Mar(23), 0, 0)).ToList();
        await centre.ImportJournalAsync(beforeOutage);

        await centre.RunOkAsync("report", "month", "--month", "2026-03", "--out", centre.Dir.File("early.json"));
        var early = ReadJson(centre.Dir.File("early.json")).Rows.Single(r => r.WorkerId == "w2");
        Assert.Equal(0, early.AbsentHalfDays);                 // the week without data is not 旷工 ...
        Assert.True(early.PendingHalfDays >= 14, early.Remarks); // ... it is pending (23–31 March after the last stored punch)
        Assert.Contains("待定", early.Remarks, StringComparison.Ordinal);
        Assert.False(early.FullAttendance);

        var board = await centre.RunOkAsync("board", "--office", "hongqi", "--date", "2026-03-25");
        Assert.Contains("未签到(待定，数据未到齐)", board, StringComparison.Ordinal);

        var second = await centre.ImportJournalAsync(rows);   // the whole journal again: the first part is duplicates
        Assert.Contains($"{rows.Count - beforeOutage.Count} new events stored, {beforeOutage.Count} already present", second, StringComparison.Ordinal);

        await centre.RunOkAsync("report", "month", "--month", "2026-03", "--out", centre.Dir.File("late.json"));
        var late = ReadJson(centre.Dir.File("late.json")).Rows.ToDictionary(r => r.WorkerId);
        Assert.Equal((44, 2, 70m), (late["w2"].RequiredHalfDays, late["w2"].AbsentHalfDays, late["w2"].RecordPoints));
        Assert.Equal((44, 0, 80m), (late["w1"].OnTime, late["w1"].PendingHalfDays, late["w1"].RecordPoints));
        Assert.DoesNotContain(late.Keys, k => k is "s1" or "l1" or "h1");
    }

    [Fact]
    public async Task A_missing_sign_out_is_deducted_where_the_office_configured_sign_outs()
    {
        using var centre = await NewCentreAsync();
        var settings = centre.Dir.File("settings.json");
        await File.WriteAllTextAsync(settings, """{"schedule":{"signOutsRequired":true},"deductions":{"missingSignOut":2}}""");
        await centre.RunOkAsync("settings", "set", "--office", "hongqi", "--by", "s1", settings);

        var journal = new Journal("hongqi", "hongqi-door");
        foreach (var d in Journal.Workdays(2026, 3))
        {
            journal.Punch("w1", d, 7, 55).Punch("w1", d, 11, 31).Punch("w1", d, 12, 55).Punch("w1", d, 16, 31);
            journal.Punch("w2", d, 7, 55).Punch("w2", d, 12, 55).Punch("w2", d, 16, 31);                 // never signs out at noon
            journal.Punch("w3", d, 7, 55).Punch("w3", d, 11, 31).Punch("w3", d, 12, 55)
                .Punch("w3", d, 16, d.Day == 10 ? 10 : 31);                                                 // 10 March: leaves 20 min early
        }

        await centre.ImportJournalAsync(journal.Build());
        await centre.RunOkAsync("report", "month", "--month", "2026-03", "--complete-up-to", "2026-03-31T23:59:59+08:00",
            "--out", centre.Dir.File("r.json"));
        var report = ReadJson(centre.Dir.File("r.json"));
        var rows = report.Rows.ToDictionary(r => r.WorkerId);
        Assert.Equal((80m, true), (rows["w1"].RecordPoints, rows["w1"].FullAttendance));
        Assert.Equal(80m - (22 * 2m), rows["w2"].RecordPoints);
        Assert.Contains("未签退22次", rows["w2"].Remarks, StringComparison.Ordinal);
        Assert.Equal((1, 79m), (rows["w3"].EarlyLeave, rows["w3"].RecordPoints));
        Assert.Contains(report.Deductions, d => d.WorkerId == "w3" && d.Date == Mar(10) && d.Cause.Contains("早退20分钟", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_monthly_xlsx_from_the_store_has_every_cell_of_the_clerks_table_and_the_deduction_sheet()
    {
        using var centre = await NewCentreAsync();
        var journal = new Journal("hongqi", "hongqi-door");
        journal.OnTime("w1", Journal.Workdays(2026, 3));
        journal.OnTime("w2", Journal.Workdays(2026, 3).Where(d => d.Day != 4));
        journal.Punch("w2", Mar(4), 8, 12).Punch("w2", Mar(4), 12, 59);
        journal.OnTime("w3", Journal.Workdays(2026, 3).Where(d => d.Day is not (16 or 17)));
        await centre.ImportJournalAsync(journal.Build());
        await centre.RunOkAsync("points", "set", "--worker", "w2", "--month", "2026-03", "--points", "17", "--by", "w1");
        await centre.RunOkAsync("finding", "add", "--worker", "w3", "--date", "2026-03-05", "--session", "Afternoon", "--inspector", "督查组");

        await centre.RunOkAsync("report", "month", "--month", "2026-03", "--office", "hongqi", "--complete-up-to", "2026-03-31T23:59:59+08:00",
            "--out", centre.Dir.File("march.xlsx"));
        using var document = SpreadsheetDocument.Open(centre.Dir.File("march.xlsx"), false);
        var sheets = XlsxReportTests.ReadSheets(document);
        var main = sheets[ReportColumns.MainSheet];
        Assert.Equal(ReportColumns.Main, main[0]);
        Assert.Equal(["张三", "hongqi", "44", "44", "0/0", "0", "0", "0", "0", "是", "80", "未评", "80", "书记未评分"], main[1]);
        Assert.Equal(["李四", "hongqi", "44", "43", "1/12", "0", "0", "0", "0", "否", "79", "17", "96", ""], main[2]);
        Assert.Equal(["王五", "hongqi", "44", "40", "0/0", "0", "4", "0", "0", "否", "55", "未评", "55", "脱岗1次；书记未评分"], main[3]);
        var deductions = sheets[ReportColumns.DeductionSheet];
        Assert.Equal(ReportColumns.Deductions, deductions[0]);
        Assert.Equal(["李四", "hongqi", "2026-03-04", "上午", "迟到12分钟 (08:12)", "1"], deductions[1]);
        Assert.Equal(["王五", "hongqi", "2026-03-05", "下午"], deductions[2][..4]);
        Assert.Equal("5", deductions[2][5]);
        Assert.Equal(7, deductions.Count);   // header + 1 late + 1 finding + 4 旷工 half-days
    }

    [Fact]
    public async Task Leave_follows_the_ladder_and_only_approved_leave_covers_the_sessions()
    {
        using var centre = await NewCentreAsync();
        var journal = new Journal("hongqi", "hongqi-door");
        journal.OnTime("w2", Journal.Workdays(2026, 3).Where(d => d.Day is not (9 or 10)));
        await centre.ImportJournalAsync(journal.Build());

        var requested = await centre.RunOkAsync("leave", "request", "--worker", "w2", "--type", "Personal", "--start", "2026-03-09",
            "--half-days", "2", "--by", "w1", "--reason", "家中有事");
        var leaveId = LeaveId(requested);
        Assert.Contains("final approver: leader", requested, StringComparison.Ordinal);   // one day → the leader in charge

        await centre.RunOkAsync("report", "month", "--month", "2026-03", "--complete-up-to", "2026-03-31T23:59:59+08:00", "--out", centre.Dir.File("a.json"));
        var pending = ReadJson(centre.Dir.File("a.json")).Rows.Single(r => r.WorkerId == "w2");
        Assert.Equal((0, 2), (pending.LeaveHalfDays, pending.AbsentHalfDays));   // 9 March: pending leave, not 旷工; 10 March: 旷工
        Assert.Contains("请假待批2个半天", pending.Remarks, StringComparison.Ordinal);

        var wrong = await centre.RunAsync("leave", "approve", leaveId, "--by", "s1");
        Assert.Equal(2, wrong.Code);
        Assert.Contains("now waits for leader", wrong.Err, StringComparison.Ordinal);
        var self = await centre.RunAsync("leave", "approve", leaveId, "--by", "w2");
        Assert.Contains("cannot decide their own leave", self.Err, StringComparison.Ordinal);

        Assert.Contains("Approved", await centre.RunOkAsync("leave", "approve", leaveId, "--by", "l1"), StringComparison.Ordinal);
        await centre.RunOkAsync("report", "month", "--month", "2026-03", "--complete-up-to", "2026-03-31T23:59:59+08:00", "--out", centre.Dir.File("b.json"));
        var approved = ReadJson(centre.Dir.File("b.json")).Rows.Single(r => r.WorkerId == "w2");
        Assert.Equal((2, 2, 70m), (approved.LeaveHalfDays, approved.AbsentHalfDays, approved.RecordPoints));   // 10 March uncovered → 旷工

        var config = await centre.RunOkAsync("config", "publish", "--office", "hongqi");
        Assert.Contains("config version 1", config, StringComparison.Ordinal);

        await centre.RunOkAsync("leave", "cancel", leaveId, "--by", "w1");
        await centre.RunOkAsync("report", "month", "--month", "2026-03", "--complete-up-to", "2026-03-31T23:59:59+08:00", "--out", centre.Dir.File("c.json"));
        Assert.Equal(4, ReadJson(centre.Dir.File("c.json")).Rows.Single(r => r.WorkerId == "w2").AbsentHalfDays);
        Assert.Contains("Cancelled", await centre.RunOkAsync("leave", "list"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_half_day_of_leave_from_the_afternoon_covers_that_afternoon_only_and_the_section_approves_it()
    {
        using var centre = await NewCentreAsync();
        var journal = new Journal("hongqi", "hongqi-door");
        journal.OnTime("w3", Journal.Workdays(2026, 3).Where(d => d.Day != 12));   // 12 March: no punch at all
        await centre.ImportJournalAsync(journal.Build());
        var requested = await centre.RunOkAsync("leave", "request", "--worker", "w3", "--type", "Sick", "--start", "2026-03-12",
            "--session", "Afternoon", "--half-days", "1", "--by", "w1");
        Assert.Contains("final approver: section", requested, StringComparison.Ordinal);   // < 1 day → community-building section
        await centre.RunOkAsync("leave", "approve", LeaveId(requested), "--by", "s1");

        var board = await centre.RunOkAsync("board", "--office", "hongqi", "--date", "2026-03-12", "--complete-up-to", "2026-03-31T23:59:59+08:00");
        Assert.Contains("王五\t旷工(未签到)\t请假:病假", board, StringComparison.Ordinal);
        await centre.RunOkAsync("report", "month", "--month", "2026-03", "--complete-up-to", "2026-03-31T23:59:59+08:00", "--out", centre.Dir.File("r.json"));
        var w3 = ReadJson(centre.Dir.File("r.json")).Rows.Single(r => r.WorkerId == "w3");
        Assert.Equal((1, 1, 42), (w3.LeaveHalfDays, w3.AbsentHalfDays, w3.OnTime));
    }

    [Fact]
    public async Task The_secretarys_own_leave_always_goes_to_the_head()
    {
        using var centre = await NewCentreAsync();
        var requested = await centre.RunOkAsync("leave", "request", "--worker", "w1", "--type", "Annual", "--start", "2026-03-09",
            "--half-days", "1", "--by", "w1");
        Assert.Contains("final approver: head", requested, StringComparison.Ordinal);
        var leaveId = LeaveId(requested);
        Assert.Equal(2, (await centre.RunAsync("leave", "approve", leaveId, "--by", "l1")).Code);
        Assert.Contains("Approved", await centre.RunOkAsync("leave", "approve", leaveId, "--by", "h1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secretary_points_are_taken_only_from_the_secretary_of_that_office_and_within_0_to_20()
    {
        using var centre = await NewCentreAsync();
        var other = await centre.RunAsync("points", "set", "--worker", "w2", "--month", "2026-03", "--points", "18", "--by", "x1");
        Assert.Equal(2, other.Code);
        Assert.Contains("not the secretary of office 'hongqi'", other.Err, StringComparison.Ordinal);
        var colleague = await centre.RunAsync("points", "set", "--worker", "w2", "--month", "2026-03", "--points", "18", "--by", "w3");
        Assert.Equal(2, colleague.Code);
        var tooMany = await centre.RunAsync("points", "set", "--worker", "w2", "--month", "2026-03", "--points", "21", "--by", "w1");
        Assert.Contains("outside 0–20", tooMany.Err, StringComparison.Ordinal);
        var self = await centre.RunAsync("points", "set", "--worker", "w1", "--month", "2026-03", "--points", "20", "--by", "w1");
        Assert.Contains("cannot give points to themselves", self.Err, StringComparison.Ordinal);
        await centre.RunOkAsync("points", "set", "--worker", "w1", "--month", "2026-03", "--points", "20", "--by", "s1");
        await centre.RunOkAsync("points", "set", "--worker", "w2", "--month", "2026-03", "--points", "18", "--by", "w1");
    }

    [Fact]
    public async Task The_year_view_raises_the_alert_in_the_month_cumulative_absence_passes_five_days()
    {
        using var centre = await NewCentreAsync();
        var journal = new Journal("hongqi", "hongqi-door");
        // w3 misses 2 whole days in January, 2 in February, 2 in March: 6 days > 5, crossed in March.
        var missed = new HashSet<DateOnly> { new(2026, 1, 12), new(2026, 1, 13), new(2026, 2, 2), new(2026, 2, 3), Mar(2), Mar(3) };
        foreach (var m in new[] { 1, 2, 3 })
        {
            journal.OnTime("w3", Journal.Workdays(2026, m).Where(d => !missed.Contains(d)));
            journal.OnTime("w1", Journal.Workdays(2026, m));
        }

        await centre.ImportJournalAsync(journal.Build(), batchSize: 500);
        await centre.RunOkAsync("notice", "add", "--worker", "w3", "--date", "2026-03-05", "--text", "旷工通报", "--by", "s1");
        var year = await centre.RunOkAsync("year", "--year", "2026", "--up-to-month", "3", "--office", "hongqi",
            "--complete-up-to", "2026-03-31T23:59:59+08:00");
        var lines = year.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', YearReport.Columns), lines[0]);
        var w3 = lines.Single(l => l.StartsWith("王五,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(["王五", "hongqi", "3", "6", "是", "3", "1"], w3[..7]);
        Assert.Equal("不称职", w3[8]);
        var w1 = lines.Single(l => l.StartsWith("张三,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(["0", "否", "", "0"], w1[3..7]);
    }

    private static string LeaveId(string output) =>
        System.Text.RegularExpressions.Regex.Match(output, @"L\d{14}-[0-9a-f]{6}").Value;

    private static MonthReport ReadJson(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonReportWriter.Read(stream);
    }
}
