using Kiosk.Sync.Contract;
using Kiosk.Sync.Device;
using Kiosk.Sync.Testing;

namespace Kiosk.Sync.Tests;

/// <summary>Delivery through a real mosquitto with the shipped configuration: restarts, kills, a day offline.</summary>
[Collection("broker")]
public sealed class BrokerDeliveryTests
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 7, 30, 0, TimeSpan.FromHours(8));
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Ten_thousand_events_through_a_broker_stopped_with_sigterm_and_killed_with_sigkill_are_stored_exactly_once()
    {
        await using var rig = await SyncRig.StartAsync("d1");
        await rig.StartCentreAsync();
        var kiosk = await rig.StartKioskAsync("d1");
        Task<long> Count() => rig.Store.CountEventsAsync("d1", None);

        kiosk.Journal.Append(4000, Morning);
        kiosk.Pump.NotifyAppended();
        await rig.UntilAsync(async () => await Count() >= 1000, "the first events arrive");
        await rig.Broker.StopAsync(kill: false); // SIGTERM while batches are in flight: the broker saves and exits
        var atTerm = await Count();
        kiosk.Journal.Append(3000, Morning.AddHours(1));
        await rig.Broker.StartAgainAsync();
        // The broker's saved queue alone can satisfy the centre; wait for the kiosk too, so the kill hits both.
        await rig.UntilAsync(async () => kiosk.Pump.IsConnected && await Count() >= atTerm + 1500,
            "the kiosk is back and delivery resumes after the SIGTERM restart");
        await rig.Broker.StopAsync(kill: true); // SIGKILL: whatever came after the last autosave is forgotten
        var atKill = await Count();
        kiosk.Journal.Append(3000, Morning.AddHours(2));
        await rig.Broker.StartAgainAsync();
        await rig.UntilAsync(() => rig.DrainedAsync(kiosk), "all 10,000 events stored and acknowledged", TimeSpan.FromSeconds(90));

        Assert.True(atTerm < 7000 && atKill < 10000, $"the restarts happened mid-stream ({atTerm}, {atKill})");
        Assert.Equal(10000, await Count());
        var stored = await rig.Store.ReadDeviceEventsAsync("d1", 0, 20000, None);
        var journal = await kiosk.Journal.ReadAfterAsync(0, 20000, None);
        Assert.Equal(journal.Select(e => (e.Sequence, e.Hash)), stored.Select(e => (e.Sequence, e.Envelope.Hash)));
        Assert.Equal(10000, await kiosk.Journal.GetAcknowledgedAsync(None));
        Assert.True(kiosk.Log.Entries.Count(e => e.Template.StartsWith("Connected to", StringComparison.Ordinal)) >= 3,
            "the kiosk reconnected after each restart:\n" + string.Join("\n", kiosk.Log.Entries.Select(e => e.Text)));
        Assert.Empty(await rig.Store.ReadRejectionsAsync(10, None));
    }

    [Fact]
    public async Task A_day_without_a_broker_records_everything_offline_and_then_drains_it_once()
    {
        await using var rig = await SyncRig.StartAsync("d1");
        await rig.StartCentreAsync();
        var kiosk = await rig.StartKioskAsync("d1");
        kiosk.Journal.Append(100, Morning);
        await rig.UntilAsync(() => rig.DrainedAsync(kiosk), "the morning drains");

        await rig.Broker.StopAsync(kill: false);
        await rig.UntilAsync(() => Task.FromResult(!kiosk.Pump.IsConnected), "the kiosk notices the broker is gone");
        for (var hour = 0; hour < 24; hour++)
        {
            rig.Time.Advance(TimeSpan.FromHours(1));
            kiosk.Journal.Append(125, Morning.AddHours(hour + 1));
            kiosk.Pump.NotifyAppended();
            await Task.Delay(10);
        }

        Assert.Equal(100, await rig.Store.CountEventsAsync("d1", None));
        Assert.Equal(3000, (await kiosk.Journal.GetStatsAsync(None)).QueueDepth);
        await rig.Broker.StartAgainAsync();
        await rig.UntilAsync(() => rig.DrainedAsync(kiosk), "the day's 3,000 events drain", TimeSpan.FromSeconds(60));

        var stored = await rig.Store.ReadDeviceEventsAsync("d1", 0, 10000, None);
        Assert.Equal(Enumerable.Range(1, 3100).Select(i => (long)i), stored.Select(e => e.Sequence));
        Assert.Equal(0, (await kiosk.Journal.GetStatsAsync(None)).QueueDepth);
        Assert.Empty(await rig.Store.ReadRejectionsAsync(10, None));
    }

    [Fact]
    public async Task Configuration_and_time_reach_the_kiosk_and_its_status_reports_the_version_it_runs()
    {
        await using var rig = await SyncRig.StartAsync("d1");
        var inbox = await rig.StartCentreAsync();
        var config = new RecordingConfigSink();
        var clock = new RecordingTimeSink();
        var kiosk = await rig.StartKioskAsync("d1", config: config, timeSink: clock);
        kiosk.Journal.Append(3, Morning);
        await rig.UntilAsync(() => rig.DrainedAsync(kiosk), "the first punches drain");

        var roster = System.Text.Json.JsonDocument.Parse("""{"workers":[{"id":"w001","name":"张三"}]}""").RootElement;
        var published = new OfficeConfig(1, SyncRig.Office, "2026-03-01.1", Morning, roster, null, null, null);
        await inbox.PublishConfigAsync(published, ["d1"], None);
        await rig.UntilAsync(async () =>
            (await rig.Store.GetDevicesAsync(SyncRig.Office, None)).Single().ConfigVersion == "2026-03-01.1",
            "the kiosk applies the configuration and reports its version");
        await rig.UntilAsync(() => Task.FromResult(!clock.Received.IsEmpty), "a time message arrives");

        var applied = Assert.Single(config.Applied);
        Assert.Equal("张三", applied.Roster!.Value.GetProperty("workers")[0].GetProperty("name").GetString());
        Assert.True(clock.Received.TryPeek(out var time) && time.CentreSynchronised);
        var device = (await rig.Store.GetDevicesAsync(SyncRig.Office, None)).Single();
        Assert.Equal((true, 3L, 0L), (device.Online, device.ReportedCompleteUpToSequence, device.QueueDepth));
    }

    [Fact]
    public async Task A_kiosk_that_has_caught_up_reports_an_empty_queue_at_once_not_one_status_interval_later()
    {
        await using var rig = await SyncRig.StartAsync("d1");
        await rig.StartCentreAsync();
        // A status interval longer than the test: only the "caught up" status can carry sequence 5 and queue 0.
        var kiosk = await rig.StartKioskAsync("d1", o => o with { StatusInterval = TimeSpan.FromDays(1) });
        kiosk.Journal.Append(5, Morning);

        await rig.UntilAsync(async () =>
        {
            var device = (await rig.Store.GetDevicesAsync(SyncRig.Office, None)).Single();
            return device.ReportedCompleteUpToSequence == 5 && device.QueueDepth == 0;
        }, "the status sent when the last acknowledgement arrives says complete up to #5 with an empty queue");
    }

    private sealed class RecordingConfigSink : IConfigSink
    {
        public System.Collections.Concurrent.ConcurrentQueue<OfficeConfig> Applied { get; } = new();

        public string? RunningVersion { get; private set; }

        public Task ApplyAsync(OfficeConfig config, CancellationToken ct)
        {
            Applied.Enqueue(config);
            RunningVersion = config.Version;
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingTimeSink : ITimeSink
    {
        public System.Collections.Concurrent.ConcurrentQueue<TimeMessage> Received { get; } = new();

        public Task OnCentreTimeAsync(TimeMessage message, long receivedAtMonotonic, CancellationToken ct)
        {
            Received.Enqueue(message);
            return Task.CompletedTask;
        }
    }
}
