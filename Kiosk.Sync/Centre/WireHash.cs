using System.Buffers;
using System.Text.Json;
using Kiosk.Core.Events;

namespace Kiosk.Sync.Centre;

/// <summary>Checks an envelope's hash (JournalHash, decision 2) from its wire bytes instead of serialising the
/// object again, which was the centre's most expensive step per event.
///
/// JournalHash hashes PrevHash + "\n" + the envelope's default System.Text.Json text with Hash = "". Our wire text
/// (SyncJson) is that same text except that property names are camelCase ("officeId" for "OfficeId"; the event's
/// "kind" discriminator is the same in both) and "hash" carries the value. So the canonical bytes are rebuilt by
/// copying the wire bytes, upper-casing the first letter of each property name and emptying the hash value.
///
/// Why this weakens nothing: a match means SHA-256(prev + rebuilt bytes) equals the signed Hash, so the rebuilt
/// bytes are exactly what the device hashed, i.e. the received values are the device's values token for token.
/// When the wire text is shaped differently (whitespace, other escaping, extra members, a name whose camelCase is
/// not a one-letter change) the rebuilt bytes differ, and the caller falls back to <see cref="JournalHash.Verify"/>,
/// the exact original check. A false "match" would need a SHA-256 collision.</summary>
internal static class WireHash
{
    /// <summary>true when <paramref name="wire"/> (one envelope's JSON as received) hashes to
    /// <paramref name="expectedHash"/> with <paramref name="prevHash"/>; false means "not proven here".</summary>
    public static bool Matches(ReadOnlySpan<byte> wire, string prevHash, string expectedHash)
    {
        if (prevHash.Length > 128 || expectedHash.Length != 64 || wire.Length > 1 << 20)
        {
            return false;
        }

        var rented = ArrayPool<byte>.Shared.Rent(wire.Length);
        try
        {
            var length = Canonicalise(wire, rented);
            // Same definition, text form and comparison as JournalHash.Verify (lower-case hex, ordinal).
            return length >= 0
                && string.Equals(JournalHash.FromCanonical(prevHash, rented.AsSpan(0, length)), expectedHash, StringComparison.Ordinal);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes the canonical form of <paramref name="wire"/> to <paramref name="output"/> (at least as long
    /// as the input) and returns its length, or -1 when the input is not a compact envelope object.</summary>
    private static int Canonicalise(ReadOnlySpan<byte> wire, Span<byte> output)
    {
        var reader = new Utf8JsonReader(wire);
        int written = 0, copiedUpTo = 0;
        var hashSeen = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return -1;
            }

            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                var nameStart = (int)reader.TokenStartIndex + 1; // after the opening quote
                var isTopLevelHash = reader.CurrentDepth == 1 && reader.ValueTextEquals("hash"u8);
                // The discriminator keeps its lower-case name in both forms (AttendanceEvent's [JsonPolymorphic]).
                var isDiscriminator = reader.CurrentDepth == 2 && reader.ValueTextEquals("kind"u8);
                if (!isDiscriminator && !reader.ValueIsEscaped && nameStart < wire.Length && wire[nameStart] is >= (byte)'a' and <= (byte)'z')
                {
                    Copy(wire, ref copiedUpTo, nameStart, output, ref written);
                    output[written++] = (byte)(wire[nameStart] - ('a' - 'A'));
                    copiedUpTo = nameStart + 1;
                }

                if (!reader.Read())
                {
                    return -1;
                }

                if (isTopLevelHash)
                {
                    if (hashSeen || reader.TokenType != JsonTokenType.String)
                    {
                        return -1;
                    }

                    hashSeen = true;
                    // Keep the opening quote, drop the value: "Hash":"" as JournalHash hashes it.
                    var valueStart = (int)reader.TokenStartIndex + 1;
                    Copy(wire, ref copiedUpTo, valueStart, output, ref written);
                    copiedUpTo = (int)reader.BytesConsumed - 1; // the closing quote
                }
            }

            if (!hashSeen || reader.BytesConsumed != wire.Length)
            {
                return -1;
            }

            Copy(wire, ref copiedUpTo, wire.Length, output, ref written);
            return written;
        }
        catch (JsonException)
        {
            return -1;
        }
    }

    private static void Copy(ReadOnlySpan<byte> wire, ref int from, int to, Span<byte> output, ref int written)
    {
        wire[from..to].CopyTo(output[written..]);
        written += to - from;
        from = to;
    }
}
