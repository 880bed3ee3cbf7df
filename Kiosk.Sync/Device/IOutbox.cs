using Kiosk.Sync.Contract;

namespace Kiosk.Sync.Device;

/// <summary>What the outbox pump needs from the device journal (implemented by Kiosk.Device over journal.db).
/// The journal is the truth (architecture decision 2): the pump never deletes anything, it only reads rows after a
/// sequence and records the centre's APPLICATION acknowledgement (decision 3), never a broker PUBACK.</summary>
public interface IOutbox
{
    /// <summary>Up to <paramref name="max"/> sealed envelopes with Sequence &gt; <paramref name="afterSequence"/>, in
    /// ascending sequence order, in wire form (<see cref="WireEnvelope.FromStoredUtf8"/> turns a stored text into it without
    /// parsing). Sequences start at 1 and have no gaps (docs/protocol.md, "Sequences").</summary>
    Task<IReadOnlyList<WireEnvelope>> ReadWireAfterAsync(long afterSequence, int max, CancellationToken ct);

    /// <summary>The highest sequence the centre acknowledged as stored contiguously (0 when none), persisted.</summary>
    Task<long> GetAcknowledgedAsync(CancellationToken ct);

    /// <summary>Record a new application ack. Called only with increasing values. It may be written lazily (with
    /// <see cref="FlushAsync"/> bounding how late): a power cut then only makes the pump resend events the centre
    /// already holds, which it stores once. Pruning must look only at what was written.</summary>
    Task MarkAcknowledgedAsync(long upToSequence, CancellationToken ct);

    /// <summary>Write delivery bookkeeping kept in memory: only if it has waited long enough, or at once when
    /// <paramref name="evenIfRecent"/> (the pump stopping). The pump calls it whenever it has nothing to send.</summary>
    Task FlushAsync(bool evenIfRecent, CancellationToken ct);

    /// <summary>Counters for the retained status message (docs/protocol.md, "DeviceStatus").</summary>
    Task<OutboxStats> GetStatsAsync(CancellationToken ct);
}

/// <summary>The journal's state as the status message reports it.</summary>
/// <param name="LastSequence">Highest sequence committed in the journal (0 when empty).</param>
/// <param name="AcknowledgedSequence">Highest sequence the centre acknowledged: at least every value already given to
/// <see cref="IOutbox.MarkAcknowledgedAsync"/>, written to the file or not (the status reports it as is).</param>
/// <param name="OldestUnacknowledgedAt">Office-local time of the first event after the ack, null when none.</param>
public sealed record OutboxStats(
    long LastSequence,
    long AcknowledgedSequence,
    DateTimeOffset? OldestUnacknowledgedAt)
{
    /// <summary>Events committed but not yet acknowledged by the centre.</summary>
    public long QueueDepth => Math.Max(0, LastSequence - AcknowledgedSequence);
}
