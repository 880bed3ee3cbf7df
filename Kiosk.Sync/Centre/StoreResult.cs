namespace Kiosk.Sync.Centre;

public enum StoreOutcome
{
    /// <summary>At least one new event was stored.</summary>
    Stored,

    /// <summary>Every event was already stored with the same content: a harmless redelivery or replay.</summary>
    Duplicate,

    /// <summary>Nothing was stored; the reason is recorded in the rejections table and logged.</summary>
    Rejected,
}

/// <summary>What happened to one batch. AckSequence is the device's contiguous watermark after the batch (what the
/// ack message carries); it is -1 when the device is unknown (nothing to acknowledge). BatchId is the batch's own id
/// when it could be read.</summary>
public sealed record StoreResult(
    StoreOutcome Outcome,
    string? OfficeId,
    string? DeviceId,
    int Stored,
    int Duplicates,
    long AckSequence,
    string? RejectReason,
    string? Detail = null,
    string? BatchId = null);

/// <summary>Rejection reasons as recorded in rejections.reason (docs/protocol.md, "Rejections").</summary>
public static class RejectReasons
{
    public const string Malformed = "malformed";
    public const string UnsupportedVersion = "unsupported-version";
    public const string WrongTopic = "wrong-topic";
    public const string UnknownDevice = "unknown-device";
    public const string RetiredDevice = "retired-device";
    public const string OfficeMismatch = "office-mismatch";
    public const string BadEnvelope = "bad-envelope";
    public const string HashMismatch = "hash-mismatch";
    public const string Unsigned = "unsigned";
    public const string BadSignature = "bad-signature";
    public const string Conflict = "conflict";
}
