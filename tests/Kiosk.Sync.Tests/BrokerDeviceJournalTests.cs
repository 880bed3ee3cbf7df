using Kiosk.Device.Journal;
using Kiosk.Sync.Bench;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Device;
using Kiosk.Sync.Testing;

namespace Kiosk.Sync.Tests;

/// <summary>The kiosk's own journal through the real broker: Kiosk.Device's EventJournal, drained through JournalOutbox,
/// which keeps the delivery bookkeeping (attempts, the ack) in memory and writes it in batches. The other broker tests
/// drain SqliteJournal, which writes every ack at once.</summary>
[Collection("broker")]
public sealed class BrokerDeviceJournalTests
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 7, 30, 0, TimeSpan.FromHours(8));
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_kiosks_own_journal_drained_through_a_sigkilled_broker_is_stored_once_and_its_written_ack_reaches_the_end()
    {
        await using var rig = await SyncRig.StartAsync("d1");
        var firstCentre = await rig.StartCentreAsync();
        using var identity = DeviceIdentity.LoadOrCreate(SyncRig.Office, "d1", Path.Combine(rig.Dir, "d1.key.pem"));
        await rig.Store.RegisterDeviceAsync(SyncRig.Office, "d1", identity.PublicKeyPem, None);
        var path = Path.Combine(rig.Dir, "d1.journal.db");
        var journal = await DeviceJournal.FillAsync(path, SyncRig.Office, "d1", 500, Morning);
        var log = new ListLogger<OutboxPump>();
        // The outbox runs on the rig's clock: its "write at least every second" is the manual clock's second.
        var pump = new OutboxPump(new JournalOutbox(journal, rig.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<JournalOutbox>.Instance), identity,
            new OutboxPumpOptions { Mqtt = rig.ClientOptions("kiosk-d1", "d1"), AckTimeout = TimeSpan.FromSeconds(10) }, rig.Time, log);
        journal.Appended += _ => pump.NotifyAppended(); // as the kiosk wires them
        async Task<long> Watermark() =>
            (await rig.Store.GetDevicesAsync(SyncRig.Office, None)).Single(d => d.DeviceId == "d1").WatermarkSequence;
        int Connections() => log.Entries.Count(e => e.Template.StartsWith("Connected to", StringComparison.Ordinal));
        long killedWithUnacknowledged;
        await pump.StartAsync(None);
        try
        {
            await rig.UntilAsync(async () => await Watermark() == 500 && pump.Acknowledged == 500, "the first 500 drain");
            // Caught up: the journal wrote the ack at once, not a second later.
            Assert.Equal(500, journal.AckedThrough);

            // The centre goes away; the next 1,500 punches are sent, PUBACKed and held by the broker for it.
            await firstCentre.StopAsync(None);
            firstCentre.Dispose();
            for (var i = 500; i < 2000; i++)
            {
                await DeviceJournal.PunchAsync(journal, i, Morning.AddSeconds(i));
            }

            await rig.UntilAsync(() => Task.FromResult(journal.ReadOutbox(501, 2000) is var rows
                    && rows.Count == 1500 && rows.All(r => r.State == OutboxState.Sent && r.Attempts >= 1)),
                "the journal has written that #501..#2000 were sent (its bookkeeping is written late, in batches)");
            killedWithUnacknowledged = journal.Head.Sequence - journal.AckedThrough;
            // SIGKILL mid-drain: 1,500 events sent, none acknowledged; what the broker held since its last autosave is gone.
            await rig.Broker.StopAsync(kill: true);
            await rig.Broker.StartAgainAsync();
            await rig.UntilAsync(() => Task.FromResult(Connections() >= 2 && pump.IsConnected), "the kiosk reconnects");
            await rig.StartCentreAsync();
            await rig.UntilAsync(async () => await Watermark() == 2000 && pump.Acknowledged == 2000,
                "all 2,000 stored and acknowledged", TimeSpan.FromSeconds(90));
        }
        finally
        {
            await pump.StopAsync(None);
            pump.Dispose();
        }

        Assert.Equal(1500, killedWithUnacknowledged);
        Assert.Equal(2000, await rig.Store.CountEventsAsync("d1", None));
        var stored = await rig.Store.ReadDeviceEventsAsync("d1", 0, 5000, None);
        Assert.Equal(journal.ReadAfter(0, 5000).Select(r => (r.Sequence, r.Hash)), stored.Select(e => (e.Sequence, e.Envelope.Hash)));
        // After the stop, the written bookkeeping says what happened: every row acknowledged, each sent at least once.
        Assert.Equal(2000, journal.AckedThrough);
        Assert.All(journal.ReadOutbox(1, 2000), r => Assert.True(r is { State: OutboxState.Acked, Attempts: >= 1 }, r.ToString()));
        Assert.Contains(log.Entries, e => e.Text.StartsWith("Resending from acknowledged sequence 500", StringComparison.Ordinal));
        journal.Dispose();
        using (var reopened = EventJournal.Open(journal.Options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance))
        {
            Assert.Equal(2000, reopened.AckedThrough); // in the file, not only in memory
        }

        Assert.Empty(await rig.Store.ReadRejectionsAsync(10, None));
    }
}
