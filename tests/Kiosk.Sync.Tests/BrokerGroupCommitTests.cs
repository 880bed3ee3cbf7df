using Kiosk.Sync.Contract;
using Kiosk.Sync.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kiosk.Sync.Tests;

/// <summary>CentreInbox's group commit failing for real, through a real mosquitto: the writer stores up to five
/// prepared batches in one SQLite transaction, and when that transaction throws, every batch of the group is logged
/// as not processed and left unacknowledged, so each kiosk resends after its ack timeout (decision 3) and nothing is
/// lost. The failure is a trigger that aborts every event insert ("disk full"), as in InboxStoreTests.</summary>
[Collection("broker")]
public sealed class BrokerGroupCommitTests
{
    private const string NotProcessed = "Could not process the message on {Topic} ({Bytes} bytes); the device will resend it";
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 7, 30, 0, TimeSpan.FromHours(8));
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_failing_group_commit_stores_and_acknowledges_nothing_and_once_the_store_recovers_the_resent_batches_are_stored_once()
    {
        await using var rig = await SyncRig.StartAsync("d1", "d2");
        await CentralSql.RunAsync(rig.Store.DatabasePath, "CREATE TRIGGER fail_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;");
        var inbox = await rig.StartCentreAsync();
        var d1 = await rig.StartKioskAsync("d1");
        var d2 = await rig.StartKioskAsync("d2");

        // Another writer holds the central file's write lock while the kiosks send (three batches of 500 max each, and
        // again after their ack timeout): the inbox's writer waits in its busy timeout, and the batches behind it are
        // checked meanwhile, so once the lock goes they are ready together and commit (and fail) as a group.
        await using (var locker = await CentralSql.OpenAsync(rig.Store.DatabasePath))
        {
            await CentralSql.ExecAsync(locker, "BEGIN IMMEDIATE;");
            d1.Journal.Append(1200, Morning);
            d2.Journal.Append(1200, Morning);
            d1.Pump.NotifyAppended();
            d2.Pump.NotifyAppended();
            await rig.UntilAsync(() => Task.FromResult(TimedOut(d1) >= 1 && TimedOut(d2) >= 1),
                "both kiosks sent their batches and resent them after the ack timeout");
            await CentralSql.ExecAsync(locker, "COMMIT;");
        }

        var failures = new List<(LogLevel Level, string Template, string Text, Exception? Error)>();
        await rig.UntilAsync(() =>
        {
            failures = rig.InboxLog.Entries.Where(e => e.Template == NotProcessed).ToList();
            return Task.FromResult(Failed("d1") >= 3 && Failed("d2") >= 3 && LargestGroup() >= 2
                && TimedOut(d1) >= 2 && TimedOut(d2) >= 2);
        }, "every batch of both kiosks failed, at least two of them in one group commit (the same exception), and the kiosks resent them again");

        // (1) Nothing of any group is stored, and a storage failure is not a rejection of the batch.
        Assert.Equal((0L, 0L), (await rig.Store.CountEventsAsync("d1", None), await rig.Store.CountEventsAsync("d2", None)));
        Assert.All(await rig.Store.GetDevicesAsync(SyncRig.Office, None), d => Assert.Equal(0, d.WatermarkSequence));
        Assert.Empty(await rig.Store.ReadRejectionsAsync(10, None));
        // (2) Each message is logged as an error with its topic, its size and the SQLite reason; the batches of a group
        // share the one exception of their one transaction.
        Assert.All(failures, f =>
        {
            Assert.Equal(LogLevel.Error, f.Level);
            Assert.Matches(@"^Could not process the message on attendance/v1/o1/d[12]/events \(\d+ bytes\); the device will resend it$", f.Text);
            var error = Assert.IsType<SqliteException>(f.Error);
            Assert.Contains("disk full (test)", error.Message, StringComparison.Ordinal);
        });
        // (3) No ack reached either kiosk, and the inbox is still running and connected.
        Assert.Equal((0L, 0L), (d1.Pump.Acknowledged, d2.Pump.Acknowledged));
        Assert.Equal((0L, 0L), (await d1.Journal.GetAcknowledgedAsync(None), await d2.Journal.GetAcknowledgedAsync(None)));
        Assert.False(inbox.ExecuteTask!.IsCompleted, "the inbox stopped after the failed commits");
        Assert.True(inbox.Client!.IsConnected);

        // The store recovers: the kiosks' next resend after their ack timeout is stored, once, and acknowledged.
        await CentralSql.RunAsync(rig.Store.DatabasePath, "DROP TRIGGER fail_events;");
        await rig.UntilAsync(async () => await rig.DrainedAsync(d1) && await rig.DrainedAsync(d2),
            "both kiosks' 1,200 events are stored and acknowledged after the recovery", TimeSpan.FromSeconds(30));

        foreach (var kiosk in new[] { d1, d2 })
        {
            var stored = await rig.Store.ReadDeviceEventsAsync(kiosk.Device, 0, 5000, None);
            var journal = await kiosk.Journal.ReadAfterAsync(0, 5000, None);
            Assert.Equal(1200, await rig.Store.CountEventsAsync(kiosk.Device, None));
            Assert.Equal(journal.Select(e => (e.Sequence, e.Hash)), stored.Select(e => (e.Sequence, e.Envelope.Hash)));
            Assert.Equal(1200, kiosk.Pump.Acknowledged);
            Assert.Equal(1200, await kiosk.Journal.GetAcknowledgedAsync(None));
        }

        Assert.Empty(await rig.Store.ReadRejectionsAsync(10, None));
        Assert.False(inbox.ExecuteTask!.IsCompleted);

        int Failed(string device) =>
            failures.Count(f => f.Text.Contains(Topics.Events(SyncRig.Office, device), StringComparison.Ordinal));

        int LargestGroup() => failures.Where(f => f.Error is not null)
            .GroupBy(f => (object)f.Error!, ReferenceEqualityComparer.Instance).Select(g => g.Count()).DefaultIfEmpty(0).Max();
    }

    /// <summary>Resends the pump made because no ack came within its ack timeout (OutboxPump.Resend).</summary>
    private static int TimedOut(SyncRig.Kiosk kiosk) => kiosk.Log.Entries.Count(e =>
        e.Template.StartsWith("Resending from acknowledged sequence", StringComparison.Ordinal)
        && e.Text.Contains("no acknowledgement", StringComparison.Ordinal));
}
