using System.Text.Json;
using Kiosk.Core.Events;

namespace Kiosk.Sync.Contract;

// The wire messages (docs/protocol.md, "Messages"). Every message carries SchemaVersion; a receiver rejects a
// version it does not know instead of guessing. Field names on the wire are camelCase (SyncJson).

/// <summary>Device → centre on …/{office}/{device}/events, QoS 1, not retained. A run of consecutive journal rows
/// signed by the device (ECDSA P-256, see <see cref="BatchSignature"/> for exactly which bytes).</summary>
public sealed record EventBatch(
    int SchemaVersion,
    string OfficeId,
    string DeviceId,
    string BatchId,
    IReadOnlyList<JournalEnvelope> Events,
    string Signature)
{
    public const int CurrentVersion = 1;
}

/// <summary>Centre → device on …/{office}/{device}/ack, QoS 1, retained: the highest sequence S such that every
/// sequence 1..S of this device is stored at the centre (decision 3). The device resends from S+1.</summary>
public sealed record Ack(int SchemaVersion, string OfficeId, string DeviceId, long UpToSequence, DateTimeOffset StoredAt)
{
    public const int CurrentVersion = 1;
}

/// <summary>Device → centre on …/{office}/{device}/status, QoS 1, retained; the last will is the same message with
/// Online = false. "Complete up to" (decision 4): the journal holds every event up to CompleteUpTo (office-local
/// time), and at that moment its last sequence was CompleteUpToSequence. The centre is complete up to CompleteUpTo
/// for this device once its contiguous watermark reaches CompleteUpToSequence.</summary>
public sealed record DeviceStatus(
    int SchemaVersion,
    string OfficeId,
    string DeviceId,
    bool Online,
    DateTimeOffset At,
    DateTimeOffset CompleteUpTo,
    long CompleteUpToSequence,
    long AcknowledgedSequence,
    long QueueDepth,
    DateTimeOffset? OldestUnacknowledgedAt,
    ClockQuality Clock,
    string SoftwareVersion,
    string? ConfigVersion,
    long? FreeDiskBytes)
{
    public const int CurrentVersion = 1;
}

/// <summary>Centre → device on …/{office}/{device}/config, QoS 1, retained. Versioned: the device applies a new
/// Version atomically (its job) and reports the version it runs in <see cref="DeviceStatus.ConfigVersion"/>.
/// The sections are JSON documents in the formats of the Kiosk.Core types (roster, rules settings, calendar
/// exception list, approved leave); the wire contract does not re-declare them, so either side can evolve a
/// section without a new sync protocol version. A missing section means "unchanged / none".</summary>
public sealed record OfficeConfig(
    int SchemaVersion,
    string OfficeId,
    string Version,
    DateTimeOffset PublishedAt,
    JsonElement? Roster,
    JsonElement? Settings,
    JsonElement? Calendar,
    JsonElement? ApprovedLeave)
{
    public const int CurrentVersion = 1;
}

/// <summary>Centre → devices on attendance/v1/time, QoS 0, not retained (a stale time is worse than none).
/// The clock guard (issue 4) trusts it only when CentreSynchronised is true and it arrives promptly.</summary>
public sealed record TimeMessage(int SchemaVersion, DateTimeOffset CentreTime, bool CentreSynchronised)
{
    public const int CurrentVersion = 1;
}
