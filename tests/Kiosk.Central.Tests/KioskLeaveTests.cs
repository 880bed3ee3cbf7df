using Kiosk.Central.Admin;
using Kiosk.Central.Reports;
using Kiosk.Central.Store;
using Kiosk.Core.Events;
using Kiosk.Sync.Centre;
using Kiosk.Sync.Contract;

namespace Kiosk.Central.Tests;

/// <summary>Leave registered on a kiosk (secretary mode) reaches the centre as a journal row in the inbox; the centre's
/// leave register must list it, let the ladder decide it, publish it once approved and score it as leave.</summary>
public sealed class KioskLeaveTests
{
    private const string Roster = """
        worker_id,name,badge,office,role,role_from,role_to,employed_from,employed_to,finger_slots
        w1,张三,B-w1,hongqi,secretary,,,2018-03-01,,1
        w2,李四,B-w2,hongqi,worker,,,2020-07-01,,2
        s1,孙科长,B-s1,jiedao,section,,,2015-01-01,,
        l1,周主任,B-l1,jiedao,leader,,,2012-01-01,,

        """;

    private const string LeaveId = "kiosk-hongqi-door-0a1b2c3d4e5f";

    [Fact]
    public async Task Leave_requested_on_a_kiosk_is_listed_approved_at_the_centre_published_and_scored_as_leave()
    {
        using var centre = new Centre();
        await centre.ImportRosterAsync(Roster);
        await centre.RegisterAsync("hongqi", "hongqi-door");
        var journal = new Journal("hongqi", "hongqi-door");
        journal.OnTime("w2", Journal.Workdays(2026, 3).Where(d => d.Day != 9));   // Monday 9 March: away all day
        journal.OnTime("w1", Journal.Workdays(2026, 3));
        journal.Add(new LeaveRequest(LeaveId, "w2", LeaveType.Sick, new DateOnly(2026, 3, 9), Session.Morning, 2, LeaveState.Requested,
            null, null, "w1", "看病", Journal.At(new DateOnly(2026, 3, 6), 16, 0)));
        var rows = journal.Build();

        // Stored the way the MQTT path stores it: the signed batch's raw bytes as received on the device's events topic.
        var batch = BatchSignature.Create(centre.Identity("hongqi-door"), "b-1", rows);
        var stored = await new InboxStore(centre.Db, TimeProvider.System)
            .StoreRawAsync(Topics.Events("hongqi", "hongqi-door"), SyncJson.Serialize(batch), CancellationToken.None);
        Assert.Equal((StoreOutcome.Stored, rows.Count), (stored.Outcome, stored.Stored));

        Assert.Contains($"{LeaveId}\thongqi\tw2\tSick\t2026-03-09 Morning\t2\tRequested\t", await centre.RunOkAsync("leave", "list"),
            StringComparison.Ordinal);
        Assert.Contains(LeaveId, await centre.RunOkAsync("leave", "list", "--office", "hongqi"), StringComparison.Ordinal);
        Assert.DoesNotContain(LeaveId, await centre.RunOkAsync("leave", "list", "--office", "xinhua"), StringComparison.Ordinal);
        var pending = await MonthRowAsync(centre, "w2", "pending.json");
        Assert.Equal((0, 0), (pending.LeaveHalfDays, pending.AbsentHalfDays));
        Assert.Contains("请假待批2个半天", pending.Remarks, StringComparison.Ordinal);

        var wrong = await centre.RunAsync("leave", "approve", LeaveId, "--by", "s1");   // one day of leave → the leader in charge
        Assert.Equal(2, wrong.Code);
        Assert.Contains("now waits for leader", wrong.Err, StringComparison.Ordinal);
        Assert.Contains($"leave {LeaveId}: Approved (by l1, leader)", await centre.RunOkAsync("leave", "approve", LeaveId, "--by", "l1"),
            StringComparison.Ordinal);
        Assert.Contains($"{LeaveId}\thongqi\tw2\tSick\t2026-03-09 Morning\t2\tApproved\tleader", await centre.RunOkAsync("leave", "list"),
            StringComparison.Ordinal);
        var again = await centre.RunAsync("leave", "approve", LeaveId, "--by", "l1");
        Assert.Contains("is already Approved", again.Err, StringComparison.Ordinal);

        await centre.RunOkAsync("config", "publish", "--office", "hongqi");
        using (var db = CentralDb.Open(centre.Db))
        {
            var leave = Assert.Single(Assert.Single(PublishConfig.Latest(db)).ApprovedLeave!.Value.EnumerateArray());
            Assert.Equal((LeaveId, "w2", "Approved"), (leave.GetProperty("leaveId").GetString(), leave.GetProperty("workerId").GetString(),
                leave.GetProperty("state").GetString()));
        }

        var approved = await MonthRowAsync(centre, "w2", "approved.json");
        Assert.Equal((2, 0, 80m), (approved.LeaveHalfDays, approved.AbsentHalfDays, approved.RecordPoints));
    }

    [Fact]
    public async Task A_decision_on_leave_from_a_kiosk_whose_clock_runs_ahead_still_becomes_the_current_state()
    {
        using var centre = new Centre();
        await centre.ImportRosterAsync(Roster);
        await centre.RegisterAsync("hongqi", "hongqi-door");
        var ahead = new DateTimeOffset(2099, 1, 5, 9, 0, 0, Journal.Beijing);   // later than any centre clock running this test
        var rows = new Journal("hongqi", "hongqi-door")
            .Add(new LeaveRequest(LeaveId, "w2", LeaveType.Personal, new DateOnly(2026, 3, 9), Session.Morning, 1, LeaveState.Requested,
                null, null, "w1", null, ahead), ClockQuality.Untrusted)
            .Build();
        await centre.ImportJournalAsync(rows);

        await centre.RunOkAsync("leave", "refuse", LeaveId, "--by", "s1");   // half a day → the community-building section
        Assert.Contains($"{LeaveId}\thongqi\tw2\tPersonal\t2026-03-09 Morning\t1\tRefused\tsection", await centre.RunOkAsync("leave", "list"),
            StringComparison.Ordinal);
    }

    private static async Task<ReportRow> MonthRowAsync(Centre centre, string workerId, string file)
    {
        await centre.RunOkAsync("report", "month", "--month", "2026-03", "--complete-up-to", "2026-03-31T23:59:59+08:00",
            "--out", centre.Dir.File(file));
        await using var stream = File.OpenRead(centre.Dir.File(file));
        return JsonReportWriter.Read(stream).Rows.Single(r => r.WorkerId == workerId);
    }
}
