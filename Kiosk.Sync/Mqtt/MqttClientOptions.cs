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
public sealed record MqttMessage(string Topic, byte[] Payload, int Qos, bool Retain);
