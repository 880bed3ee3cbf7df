using System.Buffers;
namespace Kiosk.Sync.Mqtt;

/// <summary>How to reach the broker. Defaults follow libmosquitto-notes.md: MQTT v5 with a session expiry (without it
/// a v5 session ends at disconnect), automatic reconnect with exponential backoff.</summary>
public sealed record MqttClientOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 1883;

    /// <summary>Must be stable across restarts so the broker finds the persistent session again.</summary>
    public required string ClientId { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>MQTT 5 Session Expiry Interval (property 17). Zero means a clean, non-persistent session.</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromDays(7);

    public int KeepAliveSeconds { get; init; } = 30;

    /// <summary>mosquitto_reconnect_delay_set: first delay, doubled each failure up to the maximum.</summary>
    public uint ReconnectDelaySeconds { get; init; } = 1;

    public uint ReconnectDelayMaxSeconds { get; init; } = 60;

    public MqttWill? Will { get; init; }

    public MqttTls? Tls { get; init; }

    /// <summary>Library to load; tests point it at a missing path to prove the typed error.</summary>
    public string LibraryPath { get; init; } = Native.Library;
}

/// <summary>Last will: published by the broker when the client vanishes without DISCONNECT.</summary>
public sealed record MqttWill(string Topic, byte[] Payload, int Qos, bool Retain);

/// <summary>TLS with a client certificate (mosquitto_tls_set). PEM files; the key must not be encrypted.</summary>
public sealed record MqttTls(string CaFile, string? CertFile, string? KeyFile);

/// <summary>A message received on a subscription. Topic and payload are copies (the library's pointers are valid
/// only during the callback: libmosquitto-notes.md, pitfall 5).</summary>
/// <remarks>A large payload (an event batch of 500, ~200 KB) is copied into a pooled buffer: a fresh array of that size is a
/// large-object-heap allocation, and one per batch made the centre run a full (gen 2) collection every few batches
/// (bench/Kiosk.Sync.Bench). Whoever consumes such a message calls <see cref="Release"/> when done with it; one that
/// is never released is simply collected. A class, not a record: a record's copy (<c>with</c>) would give two messages
/// owning the same pooled buffer, and releasing both would hand it to the pool twice.</remarks>
public sealed class MqttMessage(string topic, ReadOnlyMemory<byte> payload, int qos, bool retain)
{
    public string Topic { get; } = topic;

    public ReadOnlyMemory<byte> Payload { get; } = payload;

    public int Qos { get; } = qos;

    public bool Retain { get; } = retain;

    /// <summary>Payloads at least this large are copied into pooled buffers (below the 85,000-byte LOH threshold).</summary>
    public const int PooledFrom = 64 * 1024;

    private byte[]? _pooled;

    /// <summary>Copies a payload out of the library's buffer.</summary>
    public static MqttMessage Copy(string topic, ReadOnlySpan<byte> payload, int qos, bool retain)
    {
        if (payload.Length < PooledFrom)
        {
            return new MqttMessage(topic, payload.ToArray(), qos, retain);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(payload.Length);
        payload.CopyTo(buffer);
        return new MqttMessage(topic, buffer.AsMemory(0, payload.Length), qos, retain) { _pooled = buffer };
    }

    /// <summary>Gives a pooled payload's buffer back; the payload must not be read afterwards. Safe to call twice.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _pooled, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
