namespace Kiosk.Core.Events;

/// <summary>One journal row as it travels: the event plus what the device knows about when and where it
/// was taken. (DeviceId, Sequence) is the identity the centre deduplicates on (decision 3).
/// Hash = SHA-256 over PrevHash and the canonical bytes of this row (see docs/protocol.md).</summary>
public sealed record JournalEnvelope(
    string OfficeId,
    string DeviceId,
    long Sequence,
    AttendanceEvent Event,
    string BootId,
    long MonotonicMs,
    ClockQuality Clock,
    string PrevHash,
    string Hash);
