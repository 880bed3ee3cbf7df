using System.Buffers;
using System.Text.Json;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Mqtt;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Sync.Device;

/// <summary>Sends the journal to the centre (issue 5, "Device side"). Delivery is at-least-once and driven by the
/// centre's APPLICATION ack (decision 3): batches go out from the last ack, at most MaxUnacknowledged ahead; when the
/// ack stops advancing for AckTimeout, or after a reconnect, everything after the ack is sent again (the centre
/// deduplicates by (device, sequence)). While the broker is down nothing is published — libmosquitto reconnects with
/// exponential backoff — and the journal keeps recording. All state lives on one loop; callbacks only feed channels.</summary>
public sealed class OutboxPump : BackgroundService
{
    private readonly IOutbox _outbox;
    private readonly DeviceIdentity _identity;
    private readonly OutboxPumpOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly IConfigSink? _config;
    private readonly ITimeSink? _timeSink;
    private readonly IDeviceFacts? _facts;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly ArrayBufferWriter<byte> _payload = new(512 * 1024);
    private long _acked;
    private long _sentUpTo;
    private DateTimeOffset _lastProgress;
    private DateTimeOffset _lastStatus = DateTimeOffset.MinValue;
    private int _seenConnectCount;
    private volatile MosquittoClient? _client;

    public OutboxPump(IOutbox outbox, DeviceIdentity identity, OutboxPumpOptions options, TimeProvider time,
        ILogger<OutboxPump>? log = null, IConfigSink? config = null, ITimeSink? timeSink = null, IDeviceFacts? facts = null)
    {
        _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = (ILogger?)log ?? NullLogger.Instance;
        (_config, _timeSink, _facts) = (config, timeSink, facts);
    }

    /// <summary>The highest sequence the centre acknowledged (as this pump knows it).</summary>
    public long Acknowledged => Interlocked.Read(ref _acked);

    /// <summary>Whether the pump is connected to the broker now (for the idle screen's sync mark).</summary>
    public bool IsConnected => _client?.IsConnected ?? false;

    /// <summary>Set when libmosquitto is missing: the pump stopped, the journal keeps recording.</summary>
    public MosquittoMissingException? LibraryMissing { get; private set; }

    /// <summary>The journal committed a row: send it now instead of at the next poll (low punch→centre latency).</summary>
    public void NotifyAppended()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled; one wake-up is enough.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var office = _identity.OfficeId;
        var device = _identity.DeviceId;
        _acked = await _outbox.GetAcknowledgedAsync(stoppingToken);
        _sentUpTo = _acked;
        _lastProgress = _time.GetUtcNow();
        MosquittoClient client;
        try
        {
            var will = BuildStatus(online: false, await _outbox.GetStatsAsync(stoppingToken));
            client = new MosquittoClient(_options.Mqtt with
            {
                Will = new MqttWill(Topics.Status(office, device), SyncJson.Serialize(will), 1, true),
            }, _log);
        }
        catch (MosquittoMissingException ex)
        {
            LibraryMissing = ex;
            _log.LogError(ex, "Sync is off, punches are still recorded offline: {Advice}", MosquittoMissingException.Advice);
            return;
        }

        using (client)
        {
            _client = client;
            await client.SubscribeAsync(Topics.Ack(office, device), 1, stoppingToken);
            await client.SubscribeAsync(Topics.Config(office, device), 1, stoppingToken);
            await client.SubscribeAsync(Topics.Time, 0, stoppingToken);
            client.Start();
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    try
                    {
                        await DrainMessagesAsync(client, stoppingToken);
                        if (!client.IsConnected || !await StepAsync(client, stoppingToken))
                        {
                            // Nothing sent this round: the journal may write the delivery bookkeeping it kept back.
                            await _outbox.FlushAsync(evenIfRecent: false, stoppingToken);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                    {
                        // A journal that cannot be read right now (locked, disk trouble) must not stop the kiosk:
                        // sync tries again at the next wake-up, the punch flow is not affected.
                        _log.LogError(ex, "Sync step failed; retrying after {Interval}", _options.PollInterval);
                        Resend("sync step failed");
                    }

                    await WaitAsync(client, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }

            await FlushOnStopAsync();
        }
    }

    private async Task FlushOnStopAsync()
    {
        try
        {
            await _outbox.FlushAsync(evenIfRecent: true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Only bookkeeping: after a restart the pump resends from the last ack written, the centre deduplicates.
            _log.LogWarning(ex, "Could not write the last delivery bookkeeping on stop");
        }
    }

    /// <summary>One round of sending; true when at least one batch went out.</summary>
    private async Task<bool> StepAsync(MosquittoClient client, CancellationToken ct)
    {
        var sent = false;
        var now = _time.GetUtcNow();
        if (client.ConnectCount != _seenConnectCount)
        {
            // New connection: what the broker held may be gone (killed before autosave); start again from the ack.
            _seenConnectCount = client.ConnectCount;
            Resend("reconnected");
            await PublishStatusAsync(client, ct);
        }
        else if (now - _lastStatus >= _options.StatusInterval)
        {
            await PublishStatusAsync(client, ct);
        }

        if (_sentUpTo > _acked && now - _lastProgress >= _options.AckTimeout)
        {
            Resend($"no acknowledgement for {_options.AckTimeout}");
        }

        while (client.IsConnected && _sentUpTo - _acked < _options.MaxUnacknowledged)
        {
            var room = (int)Math.Min(_options.BatchSize, _options.MaxUnacknowledged - (_sentUpTo - _acked));
            var rows = await _outbox.ReadWireAfterAsync(_sentUpTo, room, ct);
            if (rows.Count == 0)
            {
                break;
            }

            var batchId = Guid.CreateVersion7(now).ToString("N");
            // One buffer for every batch of this pump: a fresh ~200 KB array per batch is a large-object allocation.
            _payload.ResetWrittenCount();
            BatchPayload.Sign(_identity, batchId, rows, _payload);
            if (_sentUpTo == _acked)
            {
                _lastProgress = now; // the ack timeout runs from the first unacknowledged send
            }

            // libmosquitto copies the payload before PublishAsync returns, so the buffer is free for the next batch.
            var publish = client.PublishAsync(Topics.Events(_identity.OfficeId, _identity.DeviceId), _payload.WrittenSpan, 1, false, ct);
            _ = publish.ContinueWith(t => _log.LogWarning(t.Exception, "Publishing batch {BatchId} failed; it is resent from the ack",
                batchId), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            _sentUpTo = rows[^1].Sequence;
            sent = true;
        }

        return sent;
    }

    private void Resend(string why)
    {
        if (_sentUpTo > _acked)
        {
            _log.LogInformation("Resending from acknowledged sequence {Ack} ({Why}); {Outstanding} events outstanding",
                _acked, why, _sentUpTo - _acked);
        }

        _sentUpTo = _acked;
        _lastProgress = _time.GetUtcNow();
    }

    private async Task DrainMessagesAsync(MosquittoClient client, CancellationToken ct)
    {
        // Acks that arrived together are applied once, with the highest: one journal write instead of many.
        long bestAck = 0;
        while (client.Messages.TryRead(out var message))
        {
            try
            {
                if (message.Topic == Topics.Ack(_identity.OfficeId, _identity.DeviceId))
                {
                    bestAck = Math.Max(bestAck, ParseAck(message));
                }
                else
                {
                    await HandleMessageAsync(client, message, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                _log.LogWarning(ex, "Ignored a bad message on {Topic} ({Bytes} bytes)", message.Topic, message.Payload.Length);
            }
            finally
            {
                message.Release();
            }
        }

        if (bestAck > _acked)
        {
            await ApplyAckAsync(bestAck, ct);
            // Caught up: say so at once, so the centre's board shows queue 0 and the new "complete up to" now,
            // not one status interval later (a kiosk may be switched off right after it drained).
            if (_acked >= _sentUpTo)
            {
                var stats = await _outbox.GetStatsAsync(ct); // read once: the caught-up check and the status both use it
                if (stats.LastSequence <= _acked)
                {
                    PublishStatus(client, stats, ct);
                }
            }
        }
    }

    private long ParseAck(MqttMessage message)
    {
        var ack = SyncJson.Deserialize<Ack>(message.Payload.Span);
        if (ack.SchemaVersion != Ack.CurrentVersion || ack.OfficeId != _identity.OfficeId || ack.DeviceId != _identity.DeviceId)
        {
            throw new JsonException($"ack for {ack.OfficeId}/{ack.DeviceId} v{ack.SchemaVersion} is not for this device");
        }

        return ack.UpToSequence;
    }

    private async Task ApplyAckAsync(long ackUpTo, CancellationToken ct)
    {
        var upTo = ackUpTo;
        if (upTo > _sentUpTo)
        {
            // More than this run sent (e.g. the ack was not persisted before a restart): never beyond the journal.
            var last = (await _outbox.GetStatsAsync(ct)).LastSequence;
            if (last < upTo)
            {
                _log.LogError("The centre acknowledges sequence {Ack} but the journal ends at {Last}: was the journal replaced?",
                    upTo, last);
                upTo = last;
            }
        }

        if (upTo > _acked)
        {
            await _outbox.MarkAcknowledgedAsync(upTo, ct);
            Interlocked.Exchange(ref _acked, upTo);
            _lastProgress = _time.GetUtcNow();
            _sentUpTo = Math.Max(_sentUpTo, upTo);
        }
    }

    private async Task HandleMessageAsync(MosquittoClient client, MqttMessage message, CancellationToken ct)
    {
        var office = _identity.OfficeId;
        var device = _identity.DeviceId;
        if (message.Topic == Topics.Config(office, device))
        {
            var config = SyncJson.Deserialize<OfficeConfig>(message.Payload.Span);
            if (config.SchemaVersion != OfficeConfig.CurrentVersion || config.OfficeId != office)
            {
                throw new JsonException($"configuration for office {config.OfficeId} v{config.SchemaVersion} is not for this device");
            }

            if (_config is not null && config.Version != _config.RunningVersion)
            {
                await _config.ApplyAsync(config, ct);
                _log.LogInformation("Applied office configuration version {Version}", config.Version);
                await PublishStatusAsync(client, ct);
            }
        }
        else if (message.Topic == Topics.Time)
        {
            var time = SyncJson.Deserialize<TimeMessage>(message.Payload.Span);
            if (_timeSink is not null)
            {
                await _timeSink.OnCentreTimeAsync(time, Environment.TickCount64, ct);
            }
        }
    }

    private async Task WaitAsync(MosquittoClient client, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var waits = new List<Task>
        {
            client.Messages.WaitToReadAsync(cts.Token).AsTask(),
            client.ConnectionChanges.WaitToReadAsync(cts.Token).AsTask(),
            _wake.WaitAsync(cts.Token),
            Task.Delay(_options.PollInterval, _time, cts.Token),
        };
        await Task.WhenAny(waits);
        await cts.CancelAsync();
        while (client.ConnectionChanges.TryRead(out _))
        {
        }

        await Task.WhenAll(waits).ContinueWith(_ => { }, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        ct.ThrowIfCancellationRequested();
    }

    private async Task PublishStatusAsync(MosquittoClient client, CancellationToken ct) =>
        PublishStatus(client, await _outbox.GetStatsAsync(ct), ct);

    /// <summary>Publishes the retained status built from <paramref name="stats"/>, read just before by the caller.</summary>
    private void PublishStatus(MosquittoClient client, OutboxStats stats, CancellationToken ct)
    {
        var status = BuildStatus(online: true, stats);
        _lastStatus = _time.GetUtcNow();
        _ = client.PublishAsync(Topics.Status(status.OfficeId, status.DeviceId), SyncJson.Serialize(status), 1, true, ct)
            .ContinueWith(t => _log.LogWarning(t.Exception, "Publishing the status failed"), CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private DeviceStatus BuildStatus(bool online, OutboxStats stats)
    {
        var now = _time.GetUtcNow().ToOffset(_options.OfficeUtcOffset);
        // stats.AcknowledgedSequence already includes every ack this pump knows: ApplyAckAsync hands an ack to the
        // outbox (MarkAcknowledgedAsync) before it takes it as its own, and the outbox counts it from then on (IOutbox).
        // "Complete up to" (decision 4): every punch is committed before it is shown, so at this instant the journal
        // holds everything up to now, and its last sequence is stats.LastSequence.
        return new DeviceStatus(DeviceStatus.CurrentVersion, _identity.OfficeId, _identity.DeviceId, online, now, now,
            stats.LastSequence, stats.AcknowledgedSequence, stats.QueueDepth, stats.OldestUnacknowledgedAt,
            _facts?.Clock ?? ClockQuality.Untrusted, _options.SoftwareVersion, _config?.RunningVersion, _facts?.FreeDiskBytes);
    }

    public override void Dispose()
    {
        base.Dispose();
        _wake.Dispose();
    }
}
