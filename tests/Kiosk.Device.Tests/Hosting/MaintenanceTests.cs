using Kiosk.Device.Clock;
using Kiosk.Device.Hosting;
using Kiosk.Device.Journal;
using Kiosk.Device.Tests.CardReaders;
using Kiosk.Device.Tests.Clock;
using Kiosk.Device.Tests.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Tests.Hosting;

/// <summary>The hourly journal maintenance (architecture decision 2; docs/device.md RetentionDays): its BackgroundService
/// runs on a stepped clock against a real journal file; rows are acknowledged the way the outbox pump does it
/// (JournalOutbox, the centre's Ack), and what is left is read back as journal rows.</summary>
public sealed class MaintenanceTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, Beijing);

    [Fact]
    public async Task Each_hour_acknowledged_rows_past_the_retention_are_pruned_and_unacknowledged_or_recent_rows_are_kept()
    {
        using var temp = new TempJournal(retentionDays: 400);
        var time = new SteppedTime(Now);
        var sources = new FakeClockSources { Synchronised = false };
        var clock = new ClockGuard(time, sources, new ClockOptions(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), false, TimeSpan.FromHours(24)),
            NullLogger.Instance);
        clock.Attach(temp.Journal);
        var journal = temp.Journal;
        // 400 days before 2026-03-02 is 2025-01-26: rows 1-3 are older, rows 4-5 within the retention.
        DateTimeOffset[] days = [Now.AddDays(-456), Now.AddDays(-416), Now.AddDays(-406), Now.AddDays(-10), Now.AddHours(-2)];
        for (var i = 0; i < days.Length; i++)
        {
            await journal.AppendAsync(TempJournal.PunchAt("w" + i, days[i]), TempJournal.Stamp(days[i], mono: 1000 + i), CancellationToken.None);
        }

        var outbox = new JournalOutbox(journal, time, NullLogger<JournalOutbox>.Instance);
        await outbox.MarkAcknowledgedAsync(2, CancellationToken.None);
        await outbox.FlushAsync(evenIfRecent: true, CancellationToken.None); // as the pump does when idle or stopping
        var log = new ListLogger();
        using var maintenance = new JournalMaintenance(journal, clock, time, new TypedLogger<JournalMaintenance>(log));
        await maintenance.StartAsync(CancellationToken.None);

        // Hour 1 with an untrusted clock: its "today" could be years off, so nothing is pruned.
        await HourAsync(time);
        Assert.Equal([1L, 2, 3, 4, 5], Sequences(journal));

        // Hour 2, clock synchronised: the acknowledged old rows 1-2 go; 3 is old but the centre has not acknowledged it.
        sources.Synchronised = true;
        await HourAsync(time);
        Assert.Equal([3L, 4, 5], Sequences(journal));

        // The centre acknowledges through 4: hour 3 prunes 3; 4 is acknowledged but recent, 5 unacknowledged.
        await outbox.MarkAcknowledgedAsync(4, CancellationToken.None);
        await outbox.FlushAsync(evenIfRecent: true, CancellationToken.None);
        await HourAsync(time);
        Assert.Equal([4L, 5], Sequences(journal));

        // The kiosk keeps recording after pruning, and the chain still verifies from the pruned boundary.
        var stamp = clock.Stamp();
        await journal.AppendAsync(TempJournal.PunchAt("w9", stamp.Local), stamp, CancellationToken.None);
        await HourAsync(time);
        Assert.Equal([4L, 5, 6], Sequences(journal));
        Assert.Equal(4, await outbox.GetAcknowledgedAsync(CancellationToken.None));
        Assert.True(JournalIntegrity.Check(journal).Healthy);
        Assert.Empty(log.Entries);
        await maintenance.StopAsync(CancellationToken.None);
        Assert.True(JournalIntegrity.Check(temp.Reopen()).Healthy);
    }

    [Fact]
    public async Task Nothing_is_pruned_before_the_first_hour_has_passed()
    {
        using var temp = new TempJournal(retentionDays: 30);
        var time = new SteppedTime(Now);
        var clock = new ClockGuard(time, new FakeClockSources { Synchronised = true },
            new ClockOptions(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), false, TimeSpan.FromHours(24)), NullLogger.Instance);
        var old = Now.AddDays(-100);
        await temp.Journal.AppendAsync(TempJournal.PunchAt("w1", old), TempJournal.Stamp(old), CancellationToken.None);
        await temp.Journal.AppendAsync(TempJournal.PunchAt("w2", old), TempJournal.Stamp(old), CancellationToken.None);
        var outbox = new JournalOutbox(temp.Journal, time, NullLogger<JournalOutbox>.Instance);
        await outbox.MarkAcknowledgedAsync(2, CancellationToken.None);
        await outbox.FlushAsync(evenIfRecent: true, CancellationToken.None);
        using var maintenance = new JournalMaintenance(temp.Journal, clock, time, NullLogger<JournalMaintenance>.Instance);
        await maintenance.StartAsync(CancellationToken.None);

        await SteppedTime.WaitUntilAsync(() => time.Pending == 1, "the maintenance loop waiting for its hour");
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal((1, 1), (time.Created, time.Pending)); // the hourly delay has not fired (timers fire inside Advance)
        Assert.Equal([1L, 2], Sequences(temp.Journal));
        time.Advance(TimeSpan.FromMinutes(1));
        await SteppedTime.WaitUntilAsync(() => time.Created == 2, "the maintenance loop went round once");
        Assert.Equal([2L], Sequences(temp.Journal)); // the last row is always kept (the chain's anchor)

        await maintenance.StopAsync(CancellationToken.None);
    }

    /// <summary>Moves the clock one hour and waits until the loop armed its next hourly delay (its pass is done).</summary>
    private static async Task HourAsync(SteppedTime time)
    {
        await SteppedTime.WaitUntilAsync(() => time.Pending == 1, "the maintenance loop waiting for its hour");
        var created = time.Created;
        time.Advance(TimeSpan.FromHours(1));
        await SteppedTime.WaitUntilAsync(() => time.Created == created + 1 && time.Pending == 1, "one pass of the maintenance loop");
    }

    private static long[] Sequences(EventJournal journal) => [.. journal.ReadAfter(0, 100).Select(r => r.Sequence)];
}
