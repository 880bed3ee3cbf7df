using System.Globalization;
using System.Text.Json;
using Kiosk.Core.Events;

namespace Kiosk.Device.Journal;

/// <summary>Outbox state of a row: pending (never sent), sent (published, waiting for the centre's
/// application acknowledgement), acked (the centre stored it; architecture decision 3). The values are what the
/// outbox table's state column holds (JournalSchema, step 4).</summary>
internal enum OutboxState { Pending = 0, Sent = 1, Acked = 2 }

/// <summary>The outbox row of one event: its delivery state and how often it was published.</summary>
internal sealed record OutboxRow(long Sequence, OutboxState State, int Attempts);

/// <summary>One journal row as read back (its delivery bookkeeping is in <see cref="OutboxRow"/>).</summary>
internal sealed record JournalRow(long Sequence, int Segment, string Kind, string? WorkerId, DateTimeOffset At,
    string BootId, long MonotonicMs, ClockQuality Clock, string PrevHash, string Hash, string EnvelopeJson)
{
    public JournalEnvelope Envelope() => JournalJson.Parse(EnvelopeJson);
}

/// <summary>The serialisation the journal stores. It must be the same default serialisation JournalHash
/// canonicalises with, so a stored envelope re-hashes to its stored hash.</summary>
internal static class JournalJson
{
    public static string Serialize(JournalEnvelope envelope) => JsonSerializer.Serialize(envelope);

    public static JournalEnvelope Parse(string json) =>
        JsonSerializer.Deserialize<JournalEnvelope>(json) ?? throw new JsonException("The envelope is JSON null.");


    public static string? WorkerOf(AttendanceEvent e) => e switch
    {
        Punch p => p.WorkerId,
        FingerNotRecognised f => f.ClaimedWorkerId,
        Excuse x => x.WorkerId,
        LeaveRequest l => l.WorkerId,
        Outing o => o.WorkerId,
        InspectionFinding i => i.WorkerId,
        SecretaryPoints s => s.WorkerId,
        Enrolment n => n.WorkerId,
        SecretaryLogin s => s.WorkerId,
        _ => null,
    };

    public static string LocalText(DateTimeOffset at) => at.DateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static DateTimeOffset FromLocalText(string local, long offsetMinutes) =>
        new(DateTime.ParseExact(local, "yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture), TimeSpan.FromMinutes(offsetMinutes));
}
