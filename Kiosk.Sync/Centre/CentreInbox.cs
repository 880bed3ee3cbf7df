using System.Threading.Channels;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Sync.Centre;

/// <summary>Settings of the centre's MQTT side.</summary>
public sealed record CentreInboxOptions
{
    public required MqttClientOptions Mqtt { get; init; }

    /// <summary>Events filter; the default is the MQTT 5 shared subscription so several central processes can split
    /// the load (architecture decision 10). Each process must use its own client id.</summary>
    public string EventsFilter { get; init; } = Topics.SharedEventsFilter;

    /// <summary>How often the centre's time goes out on attendance/v1/time (clock guard); zero disables it.</summary>
    public TimeSpan TimeInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether this machine's own clock is synchronised (only then may kiosks trust the time message).</summary>
    public Func<bool> CentreClockSynchronised { get; init; } = () => true;
}

/// <summary>The centre's inbox service: takes event batches and statuses from the broker, stores them through
/// <see cref="InboxStore"/>, and answers each batch with the device's contiguous watermark as a retained ack.
/// Every message is handled on its own: a bad one is rejected and logged, the next one is processed.</summary>
public sealed class CentreInbox : BackgroundService
{
    /// <summary>Batches per commit at most: bounds the transaction and the acks it holds back. Half of what a kiosk
    /// may have unacknowledged by default (OutboxPumpOptions: 5,000 events = 10 batches of 500), so a draining kiosk
    /// still has batches on their way while a group commits instead of waiting for its acks.</summary>
    private const int MaxGroup = 5;

    /// <summary>Batches checked ahead of the writer: bounds the payloads held in memory (~200 KB each).</summary>
    private const int Pipeline = 8;

    private readonly InboxStore _store;
    private readonly CentreInboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private MosquittoClient? _client;

    public CentreInbox(InboxStore store, CentreInboxOptions options, TimeProvider time, ILogger<CentreInbox>? log = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = (ILogger?)log ?? NullLogger.Instance;
    }

    /// <summary>The connected client (null before start or when libmosquitto is missing).</summary>
    public MosquittoClient? Client => _client;

    /// <summary>Publishes an office configuration to each of the given devices (retained, QoS 1): one copy per device,
    /// because the broker ACL lets a device read only its own subtree (docs/protocol.md, "Topics").</summary>
    public async Task PublishConfigAsync(OfficeConfig config, IEnumerable<string> deviceIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(deviceIds);
        var client = _client ?? throw new InvalidOperationException("the inbox is not connected to the broker");
        var payload = SyncJson.Serialize(config);
        foreach (var device in deviceIds)
        {
            var reason = await client.PublishAsync(Topics.Config(config.OfficeId, device), payload, 1, true, ct);
            if (reason >= 0x80)
            {
                throw new MqttException($"publish config {config.Version} to {device}", reason, "refused by the broker");
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            _client = new MosquittoClient(_options.Mqtt, _log);
        }
        catch (MosquittoMissingException ex)
        {
            _log.LogError(ex, "The centre cannot receive from kiosks: {Advice}", MosquittoMissingException.Advice);
            return;
        }

        await _store.MigrateAsync(stoppingToken);
        await _client.SubscribeAsync(_options.EventsFilter, 1, stoppingToken);
        await _client.SubscribeAsync(Topics.AllStatusFilter, 1, stoppingToken);
        _client.Start();
        var timeLoop = _options.TimeInterval > TimeSpan.Zero ? PublishTimeAsync(_client, stoppingToken) : Task.CompletedTask;
        // Two stages: batches are parsed and verified (CPU) a few at a time on the thread pool while one writer
        // commits them in arrival order (waiting on the disk's fsync), several per transaction when they are ready
        // (WriteAsync). A bounded channel keeps memory flat.
        var pipeline = Channel.CreateBounded<(MqttMessage Message, Task<InboxStore.Preparation>? Prepared)>(
            new BoundedChannelOptions(Pipeline) { SingleReader = true, SingleWriter = true });
        var writer = WriteAsync(_client, pipeline.Reader, stoppingToken);
        try
        {
            await foreach (var message in _client.Messages.ReadAllAsync(stoppingToken))
            {
                var prepared = Topics.TryParseDeviceTopic(message.Topic, out _, out _, out var kind) && kind == "events"
                    ? Task.Run(() => _store.PrepareRawAsync(message.Topic, message.Payload, stoppingToken), stoppingToken)
                    : null;
                await pipeline.Writer.WriteAsync((message, prepared), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        pipeline.Writer.TryComplete();
        await writer;
        await timeLoop;
    }

    public override void Dispose()
    {
        base.Dispose();
        _client?.Dispose();
    }

    private async Task WriteAsync(MosquittoClient client,
        ChannelReader<(MqttMessage Message, Task<InboxStore.Preparation>? Prepared)> reader, CancellationToken ct)
    {
        var group = new List<(MqttMessage Message, Task<InboxStore.Preparation>? Prepared)>(MaxGroup);
        try
        {
            while (await reader.WaitToReadAsync(ct))
            {
                // Group commit: batches whose checks are already done when the writer comes round are stored together,
                // in one transaction and one fsync. The writer was the drain's bottleneck (busy ~80 % of the time in
                // bench/Kiosk.Sync.Bench, about 40 % of that in the commit), so the busier it is, the more each commit carries.
                group.Clear();
                while (group.Count < MaxGroup && reader.TryPeek(out var next)
                    && (group.Count == 0 || (next.Prepared is { IsCompleted: true } && group[^1].Prepared is not null)))
                {
                    reader.TryRead(out next);
                    group.Add(next);
                }

                try
                {
                    if (group[0].Prepared is null)
                    {
                        await HandleAsync(group[0].Message, ct);
                    }
                    else
                    {
                        await StoreBatchesAsync(client, group, ct);
                    }
                }
                finally
                {
                    foreach (var (message, prepared) in group)
                    {
                        // The preparation is the only other reader of the payload; it was awaited unless shutdown cut
                        // the group short, in which case the buffer is left to the collector rather than reused under it.
                        if (prepared is null || prepared.IsCompleted)
                        {
                            message.Release();
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Handles a message that is not an event batch (a status, or a topic we do not serve); never throws
    /// (except for shutdown), so one message cannot stop the others.</summary>
    private async Task HandleAsync(MqttMessage message, CancellationToken ct)
    {
        try
        {
            if (Topics.TryParseDeviceTopic(message.Topic, out _, out _, out var kind) && kind == "status")
            {
                await _store.StoreStatusAsync(message.Topic, message.Payload, ct);
                return;
            }

            _log.LogWarning("Ignored a message on unexpected topic {Topic}", message.Topic);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _log.LogError(ex, "Could not process the message on {Topic} ({Bytes} bytes)", message.Topic, message.Payload.Length);
        }
    }

    /// <summary>Stores a group of event batches (already checked, in arrival order) in one commit and answers each with
    /// its device's watermark; never throws (except for shutdown).</summary>
    private async Task StoreBatchesAsync(MosquittoClient client,
        List<(MqttMessage Message, Task<InboxStore.Preparation>? Prepared)> group, CancellationToken ct)
    {
        var results = new StoreResult?[group.Count];
        var ready = new List<InboxStore.PreparedBatch>(group.Count);
        var readyAt = new List<int>(group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            InboxStore.Preparation preparation;
            try
            {
                preparation = await group[i].Prepared!;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Trouble checking this one message (the store locked while reading its device's key, say) leaves the
                // rest of the group to be stored; this device resends after its ack timeout.
                LogNotProcessed(ex, group[i].Message);
                continue;
            }

            results[i] = preparation.Rejected;
            if (preparation.Ready is { } batch)
            {
                ready.Add(batch);
                readyAt.Add(i);
            }
        }

        try
        {
            if (ready.Count > 0)
            {
                var stored = await _store.CommitAsync(ready, ct);
                for (var j = 0; j < stored.Count; j++)
                {
                    results[readyAt[j]] = stored[j];
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Storage trouble (disk full, locked file): nothing of the group is stored, each device resends after its
            // ack timeout, nothing is lost. Rejections decided before the commit are already recorded and still answered.
            foreach (var i in readyAt)
            {
                results[i] = null;
                LogNotProcessed(ex, group[i].Message);
            }
        }

        for (var i = 0; i < group.Count; i++)
        {
            if (results[i] is { AckSequence: >= 0 } result
                && Topics.TryParseDeviceTopic(group[i].Message.Topic, out var office, out var device, out _))
            {
                // The ack goes to the topic the batch came from (the ACL proved who published there), with the
                // contiguous watermark, retained so a device reconnecting later reads it at once.
                var ack = new Ack(Ack.CurrentVersion, office, device, result.AckSequence, _time.GetUtcNow());
                var publish = client.PublishAsync(Topics.Ack(office, device), SyncJson.Serialize(ack), 1, true, ct);
                _ = publish.ContinueWith(
                    t => _log.LogWarning(t.Exception, "Publishing the ack for {Device} failed", device),
                    CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }

    private void LogNotProcessed(Exception ex, MqttMessage message) =>
        _log.LogError(ex, "Could not process the message on {Topic} ({Bytes} bytes); the device will resend it",
            message.Topic, message.Payload.Length);

    private async Task PublishTimeAsync(MosquittoClient client, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (client.IsConnected)
                {
                    var message = new TimeMessage(TimeMessage.CurrentVersion, _time.GetUtcNow(), _options.CentreClockSynchronised());
                    // QoS 0, not retained: a time message that waited in a queue would be wrong (protocol.md).
                    _ = client.PublishAsync(Topics.Time, SyncJson.Serialize(message), 0, false, ct)
                        .ContinueWith(t => _ = t.Exception, CancellationToken.None,
                            TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }

                await Task.Delay(_options.TimeInterval, _time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
