using Kiosk.Sync.Mqtt;

namespace Kiosk.Sync.Device;

/// <summary>Settings of the outbox pump (docs/protocol.md, "Device behaviour").</summary>
public sealed record OutboxPumpOptions
{
    public required MqttClientOptions Mqtt { get; init; }

    /// <summary>Events per signed batch.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Events sent beyond the last application ack before waiting for it: bounds libmosquitto's in-memory
    /// queue (unbounded and lost on a crash, libmosquitto-notes.md) and the resend after a loss.</summary>
    public int MaxUnacknowledged { get; init; } = 5000;

    /// <summary>With events outstanding and no ack progress for this long, resend from the last application ack
    /// (a broker killed before its autosave forgets what it PUBACKed: decision 3).</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Heartbeat period of the retained status.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the journal is looked at when nobody calls <see cref="OutboxPump.NotifyAppended"/>.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The office's UTC offset for "complete up to" (decision 5: Asia/Shanghai, +08:00).</summary>
    public TimeSpan OfficeUtcOffset { get; init; } = TimeSpan.FromHours(8);

    public string SoftwareVersion { get; init; } = typeof(OutboxPump).Assembly.GetName().Version?.ToString() ?? "0";
}
