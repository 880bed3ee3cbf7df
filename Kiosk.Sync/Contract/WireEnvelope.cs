using System.Text;
using System.Text.Json;
using Kiosk.Core.Events;

namespace Kiosk.Sync.Contract;

/// <summary>One sealed envelope ready for the wire: its sequence and hash (what the batch signature covers) and its
/// SyncJson text (what the centre receives, checks and keeps verbatim).</summary>
public sealed record WireEnvelope(long Sequence, string Hash, ReadOnlyMemory<byte> Json)
{
    /// <summary>From an envelope object: one SyncJson serialisation.</summary>
    public static WireEnvelope From(JournalEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return new WireEnvelope(envelope.Sequence, envelope.Hash, SyncJson.Serialize(envelope));
    }

    /// <summary>From the journal's stored text (default System.Text.Json, what JournalHash hashes): the names are
    /// rewritten byte for byte (<see cref="EnvelopeText"/>); only a text that does not allow it is parsed and
    /// serialised again. <paramref name="sequence"/> and <paramref name="hash"/> are the row's own columns.</summary>
    public static WireEnvelope FromStored(long sequence, string hash, string storedJson)
    {
        ArgumentNullException.ThrowIfNull(storedJson);
        var stored = Encoding.UTF8.GetBytes(storedJson);
        if (EnvelopeText.StoredToWire(stored) is { } wire)
        {
            return new WireEnvelope(sequence, hash, wire);
        }

        var envelope = JsonSerializer.Deserialize<JournalEnvelope>(stored)
            ?? throw new JsonException($"stored envelope {sequence} is JSON null");
        if (envelope.Sequence != sequence || !string.Equals(envelope.Hash, hash, StringComparison.Ordinal))
        {
            throw new JsonException($"stored envelope {sequence} does not match its row (sequence {envelope.Sequence})");
        }

        return From(envelope);
    }
}
