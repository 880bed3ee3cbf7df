using System.Text.Json;

namespace Kiosk.Sync.Contract;

/// <summary>The two text forms of one sealed envelope, and the byte rewrite between them.
///
/// Stored form (the device journal, decision 2): System.Text.Json's default serialisation — PascalCase property
/// names — with the hash filled in; JournalHash hashes exactly this text with "Hash":"". Wire form (SyncJson,
/// docs/protocol.md): the same text with camelCase names. Both use the same encoder, converters and property order,
/// so the two differ only in the first letter of each property name ("OfficeId" ↔ "officeId"); the event's "kind"
/// discriminator is lower-case in both.
///
/// Rewriting bytes instead of parsing and serialising again is what lets the device send a backlog without touching
/// each event's object graph (issue 5, drain benchmark) and the centre check a hash from what it received. Where a
/// name is not a one-letter change (an escaped name, a leading acronym such as "IPAddress", whose camelCase is
/// "ipAddress"), the rewrite refuses (-1) and the caller takes the slow, exact path.</summary>
public static class EnvelopeText
{
    /// <summary>Stored (PascalCase) → wire (camelCase) bytes of one envelope, or null when the text is not in the
    /// expected shape (the caller then parses and serialises with <see cref="SyncJson"/>).</summary>
    public static byte[]? StoredToWire(ReadOnlySpan<byte> stored)
    {
        var output = stored.ToArray();
        return StoredToWireInPlace(output) ? output : null;
    }

    /// <summary>The same rewrite over the text's own bytes (the two forms have the same length, and each name's first
    /// letter is changed only after the reader has passed it). false, with the text left unusable, when it does not
    /// allow the rewrite.</summary>
    public static bool StoredToWireInPlace(Span<byte> utf8) => Rewrite(utf8, utf8, toUpper: false, emptyHash: false) == utf8.Length;

    /// <summary>Rewrites the first letter of every property name of a compact JSON object to upper or lower case,
    /// optionally emptying the top-level "hash"/"Hash" value (the text JournalHash hashes). Writes to
    /// <paramref name="output"/> (at least as long as the input) and returns the length, or -1 when the input is not
    /// a single compact object whose names all allow the one-letter change.</summary>
    internal static int Rewrite(ReadOnlySpan<byte> json, Span<byte> output, bool toUpper, bool emptyHash)
    {
        var reader = new Utf8JsonReader(json);
        int written = 0, copiedUpTo = 0;
        var hashSeen = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || reader.TokenStartIndex != 0)
            {
                return -1;
            }

            while (Next(ref reader))
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                var nameStart = (int)reader.TokenStartIndex + 1; // after the opening quote
                var nameEnd = nameStart + reader.ValueSpan.Length;
                if (reader.ValueIsEscaped || nameEnd == nameStart)
                {
                    return -1;
                }

                var isHash = reader.CurrentDepth == 1 && (reader.ValueTextEquals("hash"u8) || reader.ValueTextEquals("Hash"u8));
                // The polymorphic discriminator keeps its lower-case name in both forms (AttendanceEvent's [JsonPolymorphic]).
                var isDiscriminator = reader.CurrentDepth == 2 && reader.ValueTextEquals("kind"u8);
                if (!isDiscriminator)
                {
                    var first = json[nameStart];
                    var second = nameEnd - nameStart > 1 ? json[nameStart + 1] : (byte)'a';
                    if (second is >= (byte)'A' and <= (byte)'Z' || first is not ((>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z')))
                    {
                        return -1; // a leading acronym or a non-letter: camelCase is not a one-letter change
                    }

                    Copy(json, ref copiedUpTo, nameStart, output, ref written);
                    output[written++] = toUpper ? (byte)(first & ~0x20) : (byte)(first | 0x20);
                    copiedUpTo = nameStart + 1;
                }

                if (!Next(ref reader))
                {
                    return -1;
                }

                if (isHash && emptyHash)
                {
                    if (hashSeen || reader.TokenType != JsonTokenType.String)
                    {
                        return -1;
                    }

                    hashSeen = true;
                    // Keep the opening quote, drop the value: "Hash":"" as JournalHash hashes it.
                    Copy(json, ref copiedUpTo, (int)reader.TokenStartIndex + 1, output, ref written);
                    copiedUpTo = (int)reader.BytesConsumed - 1; // the closing quote
                }
            }

            if ((emptyHash && !hashSeen) || reader.BytesConsumed != json.Length)
            {
                return -1;
            }

            Copy(json, ref copiedUpTo, json.Length, output, ref written);
            return written;
        }
        catch (JsonException)
        {
            return -1;
        }
    }

    /// <summary>Reads the next token and refuses whitespace between tokens (at most one ',' or ':' separator): only
    /// compact text, as both serialisers write it, is rewritten, so the result is their exact bytes.</summary>
    private static bool Next(ref Utf8JsonReader reader)
    {
        var end = reader.BytesConsumed;
        if (!reader.Read())
        {
            return false;
        }

        return reader.TokenStartIndex - end <= 1 ? true : throw new JsonException("not compact");
    }

    private static void Copy(ReadOnlySpan<byte> json, ref int from, int to, Span<byte> output, ref int written)
    {
        json[from..to].CopyTo(output[written..]);
        written += to - from;
        from = to;
    }
}
