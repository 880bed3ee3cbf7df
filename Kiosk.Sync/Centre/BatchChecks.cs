using Kiosk.Core.Events;
using Kiosk.Sync.Contract;

namespace Kiosk.Sync.Centre;

/// <summary>The content checks on a batch (docs/protocol.md, "Centre behaviour") and the raw text of its events.</summary>
internal static class BatchChecks
{
    /// <summary>null when the batch is well formed: 1..MaxBatchEvents events of this device, consecutive sequences,
    /// every hash matching its content (JournalHash, decision 2). Otherwise the rejection reason and detail.</summary>
    /// <param name="canonical">The canonical texts BatchReader wrote, or null: then every envelope's is rebuilt from its
    /// received bytes.</param>
    public static (string Reason, string Detail)? Check(EventBatch batch, ReadOnlyMemory<byte> payload, IReadOnlyList<Range> slices,
        CanonicalTexts? canonical = null)
    {
        var events = batch.Events;
        if (events.Count is 0 or > InboxStore.MaxBatchEvents)
        {
            return (RejectReasons.BadEnvelope, $"a batch holds 1..{InboxStore.MaxBatchEvents} events, this one {events.Count}");
        }

        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (e.OfficeId != batch.OfficeId || e.DeviceId != batch.DeviceId)
            {
                return (RejectReasons.BadEnvelope, $"event {e.Sequence} names {e.OfficeId}/{e.DeviceId}, not the batch's device");
            }

            // docs/protocol.md "Identifiers": a batch is a run of consecutive sequences starting at 1 or later.
            if (e.Sequence < 1 || (i > 0 && e.Sequence != events[i - 1].Sequence + 1))
            {
                return (RejectReasons.BadEnvelope, $"event {e.Sequence} breaks the run of consecutive sequences");
            }

            if (e.Sequence > InboxSchema.MaxSequence)
            {
                return (RejectReasons.BadEnvelope, $"event {e.Sequence} is beyond the largest sequence the store keys ({InboxSchema.MaxSequence})");
            }
        }

        // Each hash is checked over the canonical text BatchReader's fast path wrote, or else one rebuilt from the
        // envelope's received bytes (WireHash: one pass and a SHA-256), falling back to re-serialising the object
        // (JournalHash.Verify) only when the wire text is not in our canonical shape. On one thread: CentreInbox already prepares several batches at once, and spreading one batch's
        // hashes over the cores as well cost ~0.75 µs of CPU per event in coordination (bench --stages: 3.8 → 3.0).
        for (var i = 0; i < events.Count; i++)
        {
            if (!HashHolds(events[i], payload, slices, i, canonical))
            {
                return (RejectReasons.HashMismatch, $"event {events[i].Sequence}: its hash does not match its content");
            }
        }

        return null;
    }

    private static bool HashHolds(JournalEnvelope e, ReadOnlyMemory<byte> payload, IReadOnlyList<Range> slices, int i,
        CanonicalTexts? canonical) =>
        (canonical is { } c && !c.Of(i).IsEmpty
            ? WireHash.MatchesCanonical(c.Of(i), e.PrevHash, e.Hash)
            : WireHash.Matches(payload.Span[slices[i]], e.PrevHash, e.Hash))
        || JournalHash.Verify(e);
}

/// <summary>The canonical texts (what JournalHash hashes) BatchReader's fast path wrote for a batch's envelopes:
/// envelope i's is <c>Buffer[Ranges[i]]</c>, empty where it wrote none.</summary>
internal readonly record struct CanonicalTexts(byte[] Buffer, Range[] Ranges)
{
    public ReadOnlySpan<byte> Of(int envelope) => Buffer.AsSpan(Ranges[envelope]);
}
