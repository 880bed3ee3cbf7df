using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Sync.Mqtt;

/// <summary>A small MQTT v5 client over libmosquitto (architecture decision 1). The library runs its own network
/// thread (mosquitto_loop_start) and reconnects by itself with backoff; callbacks are static
/// [UnmanagedCallersOnly] methods that find this object through a GCHandle, catch everything, and only hand work
/// to channels or completion sources (libmosquitto-notes.md, pitfalls 1 and 2).</summary>
public sealed partial class MosquittoClient : IAsyncDisposable, IDisposable
{
    private readonly MqttClientOptions _options;
    private readonly ILogger _log;
    private readonly Channel<MqttMessage> _messages = Channel.CreateUnbounded<MqttMessage>(
        new UnboundedChannelOptions { SingleWriter = true, AllowSynchronousContinuations = false });
    private readonly Channel<bool> _connectionChanges = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true });
    private readonly ConcurrentDictionary<int, TaskCompletionSource<int>> _pendingPublishes = new();
    private readonly ConcurrentDictionary<int, int> _earlyPublishes = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<int>> _pendingSubscribes = new();
    private readonly ConcurrentDictionary<int, int> _earlySubscribes = new();
    private readonly ConcurrentDictionary<string, int> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, string> _resubscribes = new();
    private readonly Lock _lifecycle = new();
    private GCHandle _self;
    private nint _mosq;
    private bool _loopStarted;
    private volatile bool _connected;
    private volatile TaskCompletionSource _connectedSignal = NewSignal();
    private int _connectCount;

    /// <summary>Creates the client. Throws <see cref="MosquittoMissingException"/> when libmosquitto is absent.</summary>
    public unsafe MosquittoClient(MqttClientOptions options, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _log = log ?? NullLogger.Instance;
        MosquittoLibrary.EnsureLoaded(options.LibraryPath);
        _self = GCHandle.Alloc(this, GCHandleType.Normal);
        // clean_session=false: the session is kept for SessionExpiry (property 17 at connect), see notes.
        _mosq = Native.New(options.ClientId, options.SessionExpiry <= TimeSpan.Zero, GCHandle.ToIntPtr(_self));
        if (_mosq == 0)
        {
            _self.Free();
            throw new MqttException($"mosquitto_new failed for client id '{options.ClientId}' (errno {Marshal.GetLastPInvokeError()})");
        }

        Check(Native.IntOption(_mosq, Native.OptProtocolVersion, Native.MqttProtocolV5), "set MQTT v5");
        _ = Native.IntOption(_mosq, Native.OptTcpNoDelay, 1);
        Native.ConnectV5CallbackSet(_mosq, &OnConnect);
        Native.DisconnectCallbackSet(_mosq, &OnDisconnect);
        Native.PublishV5CallbackSet(_mosq, &OnPublish);
        Native.MessageCallbackSet(_mosq, &OnMessage);
        Native.SubscribeCallbackSet(_mosq, &OnSubscribe);
        if (options.Username is not null)
        {
            Check(Native.UsernamePwSet(_mosq, options.Username, options.Password), "set username/password");
        }

        if (options.Will is { } will)
        {
            fixed (byte* p = will.Payload)
            {
                Check(Native.WillSet(_mosq, will.Topic, will.Payload.Length, p, will.Qos, will.Retain), "set last will");
            }
        }

        if (options.Tls is { } tls)
        {
            Check(Native.TlsSet(_mosq, tls.CaFile, null, tls.CertFile, tls.KeyFile, 0), "set TLS");
        }

        Check(Native.ReconnectDelaySet(_mosq, options.ReconnectDelaySeconds, options.ReconnectDelayMaxSeconds, true),
            "set reconnect delay");
    }

    /// <summary>Messages from subscriptions, in arrival order.</summary>
    public ChannelReader<MqttMessage> Messages => _messages.Reader;

    /// <summary>true on every CONNACK accepted, false on every loss of connection.</summary>
    public ChannelReader<bool> ConnectionChanges => _connectionChanges.Reader;

    public bool IsConnected => _connected;

    /// <summary>How many times a connection was accepted; a change means "reconnected since you last looked".</summary>
    public int ConnectCount => Volatile.Read(ref _connectCount);

    /// <summary>Broker answers parked for a caller that has not picked them up yet (see <see cref="Track"/>). Zero once
    /// every publish and subscribe has returned: anything left would grow with each reconnect and could answer a later
    /// call that reuses its 16-bit message id.</summary>
    internal int ParkedResults => _earlyPublishes.Count + _earlySubscribes.Count;

    /// <summary>Starts connecting and the library's network thread. Returns at once: a broker that is down is not an
    /// error, the library keeps retrying with backoff (libmosquitto-notes.md, pitfall 6).</summary>
    public void Start()
    {
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_mosq == 0, this);
            if (_loopStarted)
            {
                return;
            }

            nint props = 0;
            try
            {
                var expiry = (uint)Math.Clamp(_options.SessionExpiry.TotalSeconds, 0, uint.MaxValue);
                if (expiry > 0)
                {
                    Check(Native.PropertyAddInt32(ref props, Native.PropSessionExpiryInterval, expiry), "add session expiry");
                }

                var rc = Native.ConnectBindV5(_mosq, _options.Host, _options.Port, _options.KeepAliveSeconds, null, props);
                if (rc != Native.ErrSuccess)
                {
                    var detail = rc == Native.ErrErrno ? $"errno {Marshal.GetLastPInvokeError()}" : Native.Describe(rc);
                    _log.LogWarning("First connection to {Host}:{Port} failed ({Detail}); retrying in the background",
                        _options.Host, _options.Port, detail);
                }
            }
            finally
            {
                if (props != 0)
                {
                    Native.PropertyFreeAll(ref props);
                }
            }

            Check(Native.LoopStart(_mosq), "start network loop");
            _loopStarted = true;
        }
    }

    /// <summary>Completes when the client is connected (at once if it already is).</summary>
    public Task WaitConnectedAsync(CancellationToken ct) =>
        _connected ? Task.CompletedTask : _connectedSignal.Task.WaitAsync(ct);

    /// <summary>Publishes and completes when the broker acknowledged it (PUBACK for QoS 1, sent for QoS 0), with the
    /// MQTT 5 reason code. A PUBACK only means the broker took it (decision 3): it is never an application ack.
    /// While disconnected, QoS 1 messages wait in libmosquitto's memory and are sent after reconnect; do not
    /// publish them again (libmosquitto-notes.md).</summary>
    public unsafe Task<int> PublishAsync(string topic, ReadOnlySpan<byte> payload, int qos, bool retain, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ObjectDisposedException.ThrowIf(_mosq == 0, this);
        var tcs = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        int rc, mid;
        fixed (byte* p = payload)
        {
            rc = Native.Publish(_mosq, out mid, topic, payload.Length, p, qos, retain);
        }

        if (rc != Native.ErrSuccess && !(rc == Native.ErrNoConn && qos > 0))
        {
            return Task.FromException<int>(new MqttException($"publish to {topic}", rc, Native.Describe(rc)));
        }

        Track(_pendingPublishes, _earlyPublishes, mid, tcs);
        return tcs.Task.WaitAsync(ct);
    }

    /// <summary>Subscribes now (when connected) and again after every reconnect, because a broker killed before its
    /// autosave forgets subscriptions (libmosquitto-notes.md). Completes on SUBACK; fails when the broker refuses
    /// (e.g. the ACL). While disconnected it completes at once and subscribes on the next connection.</summary>
    public async Task SubscribeAsync(string filter, int qos, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(filter);
        _subscriptions[filter] = qos;
        if (!_connected)
        {
            return;
        }

        var tcs = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var rc = Native.Subscribe(_mosq, out var mid, filter, qos);
        if (rc == Native.ErrNoConn)
        {
            return;
        }

        if (rc != Native.ErrSuccess)
        {
            throw new MqttException($"subscribe to {filter}", rc, Native.Describe(rc));
        }

        Track(_pendingSubscribes, _earlySubscribes, mid, tcs);
        var granted = await tcs.Task.WaitAsync(ct).ConfigureAwait(false);
        if (granted >= 0x80)
        {
            throw new MqttException($"subscribe to {filter}", granted, Native.DescribeReason(granted));
        }
    }

    public void Dispose()
    {
        lock (_lifecycle)
        {
            if (_mosq == 0)
            {
                return;
            }

            // Pitfall 3: disconnect first, then stop the loop without force, or loop_stop waits for ever.
            _ = Native.Disconnect(_mosq);
            if (_loopStarted)
            {
                _ = Native.LoopStop(_mosq, false);
            }

            Native.Destroy(_mosq);
            _mosq = 0;
            _self.Free(); // only after destroy: no callback can run any more (pitfall 1)
        }

        _connected = false;
        _messages.Writer.TryComplete();
        _connectionChanges.Writer.TryComplete();
        foreach (var pending in _pendingPublishes.Values.Concat(_pendingSubscribes.Values))
        {
            pending.TrySetException(new ObjectDisposedException(nameof(MosquittoClient)));
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // The callback for a mid can run before mosquitto_publish has even returned its mid to us, so a result with no
    // waiter yet is parked in "early" and picked up here; both sides re-check, TrySetResult makes it idempotent.
    private static void Track(ConcurrentDictionary<int, TaskCompletionSource<int>> pending,
        ConcurrentDictionary<int, int> early, int mid, TaskCompletionSource<int> tcs)
    {
        pending[mid] = tcs;
        if (early.TryRemove(mid, out var result) && pending.TryRemove(mid, out var waiter))
        {
            waiter.TrySetResult(result);
        }
    }

    private static void Complete(ConcurrentDictionary<int, TaskCompletionSource<int>> pending,
        ConcurrentDictionary<int, int> early, int mid, int result)
    {
        if (pending.TryRemove(mid, out var waiter))
        {
            waiter.TrySetResult(result);
            return;
        }

        early[mid] = result;
        if (pending.TryRemove(mid, out waiter) && early.TryRemove(mid, out result))
        {
            waiter.TrySetResult(result);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Check(int rc, string operation)
    {
        if (rc != Native.ErrSuccess)
        {
            throw new MqttException(operation, rc, Native.Describe(rc));
        }
    }
}
