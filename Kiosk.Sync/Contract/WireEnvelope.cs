using System.Text.Json;
using Kiosk.Core.Events;

namespace Kiosk.Sync.Contract;

/// <summary>One sealed envelope ready for the wire: its sequence and hash (what the batch signature covers) and its
/// SyncJson text (what the centre receives, checks and keeps verbatim).</summary>
public sealed record WireEnvelope(long Sequence, string Hash, ReadOnlyMemory<byte> Json)
{
    /// <summary>Only for a stored text the rewrite refused, which may be left with some names already lower-cased.</summary>
    private static readonly JsonSerializerOptions AnyCase = new() { PropertyNameCaseInsensitive = true };

    /// <summary>From an envelope object: one SyncJson serialisation.</summary>
    public static WireEnvelope From(JournalEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return new WireEnvelope(envelope.Sequence, envelope.Hash, SyncJson.Serialize(envelope));
    }

    /// <summary>From the journal's stored text (default System.Text.Json, what JournalHash hashes), as UTF-8 bytes which
    /// it takes over: the names are rewritten in place (<see cref="EnvelopeText"/>; no copy on the device's drain path);
    /// only a text that does not allow it is parsed and serialised again. <paramref name="sequence"/> and
    /// <paramref name="hash"/> are the row's own columns.</summary>
    public static WireEnvelope FromStoredUtf8(long sequence, string hash, byte[] storedUtf8)
    {
        ArgumentNullException.ThrowIfNull(storedUtf8);
        if (EnvelopeText.StoredToWireInPlace(storedUtf8))
        {
            return new WireEnvelope(sequence, hash, storedUtf8);
        }

        // The slow, exact path: parse (names in either case), and prove it is the row's envelope by its hash.
        var envelope = JsonSerializer.Deserialize<JournalEnvelope>(storedUtf8, AnyCase)
            ?? throw new JsonException($"stored envelope {sequence} is JSON null");
        if (envelope.Sequence != sequence || !string.Equals(envelope.Hash, hash, StringComparison.Ordinal) || !JournalHash.Verify(envelope))
        {
            throw new JsonException($"stored envelope {sequence} does not match its row (sequence {envelope.Sequence}, hash {envelope.Hash})");
        }

        return From(envelope);
    }
}
