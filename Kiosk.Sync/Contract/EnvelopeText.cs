
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
    /// <summary>Stored (PascalCase) → wire (camelCase), over the text's own bytes (the two forms have the same length,
    /// and each name's first letter is changed only after the scan has passed it). false, with the text left
    /// unusable, when it does not allow the rewrite (the caller then parses and serialises with <see cref="SyncJson"/>).</summary>
    /// <remarks>A punch in exactly the journal's shape goes through <see cref="StoredPunch"/>, which knows where its names
    /// are; anything else through the byte scanner.</remarks>
    public static bool StoredToWireInPlace(Span<byte> utf8) =>
        StoredPunch.ToWireInPlace(utf8) || Rewrite(utf8, utf8, toUpper: false, emptyHash: false) == utf8.Length;

    /// <summary>Rewrites the first letter of every property name of a compact JSON object to upper or lower case,
    /// optionally emptying the top-level "hash"/"Hash" value (the text JournalHash hashes). Writes to
    /// <paramref name="output"/> (at least as long as the input; it may be the input itself when the hash is kept) and
    /// returns the length, or -1 when the input is not a single compact object whose names all allow the change.</summary>
    /// <remarks>A byte scanner rather than Utf8JsonReader: this runs once per event on the device and once on the
    /// centre, and the reader's token machinery was ~3 µs of a drained event (bench/Kiosk.Sync.Bench --stages). It does
    /// not validate JSON: the device rewrites text its own serialiser wrote, and on the centre the text has just been
    /// parsed, and the result only ever counts when its SHA-256 equals the signed hash.</remarks>
    internal static int Rewrite(ReadOnlySpan<byte> json, Span<byte> output, bool toUpper, bool emptyHash)
    {
        if (json.Length < 2 || json[0] != (byte)'{' || output.Length < json.Length)
        {
            return -1;
        }

        int depth = 0, written = 0, i = 0;
        var hashSeen = false;
        while (i < json.Length)
        {
            var b = json[i];
            if (b != (byte)'"')
            {
                depth += b is (byte)'{' or (byte)'[' ? 1 : b is (byte)'}' or (byte)']' ? -1 : 0;
                if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' || depth < 0 || (depth == 0 && i != json.Length - 1))
                {
                    return -1; // whitespace (not compact), or something after the object
                }

                output[written++] = b;
                i++;
                continue;
            }

            var end = StringEnd(json, i);
            if (end < 0)
            {
                return -1;
            }

            var isName = end + 1 < json.Length && json[end + 1] == (byte)':';
            if (!isName)
            {
                Copy(json[i..(end + 1)], output, ref written);
                i = end + 1;
                continue;
            }

            var name = json[(i + 1)..end];
            if (name.IsEmpty || name.IndexOf((byte)'\\') >= 0)
            {
                return -1; // an escaped name is never one of ours
            }

            output[written++] = (byte)'"';
            // The polymorphic discriminator keeps its lower-case name in both forms (AttendanceEvent's [JsonPolymorphic]).
            if (depth == 2 && name.SequenceEqual("kind"u8))
            {
                Copy(name, output, ref written);
            }
            else
            {
                var first = name[0];
                var second = name.Length > 1 ? name[1] : (byte)'a';
                if (second is >= (byte)'A' and <= (byte)'Z' || first is not ((>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z')))
                {
                    return -1; // a leading acronym or a non-letter: camelCase is not a one-letter change
                }

                output[written++] = toUpper ? (byte)(first & ~0x20) : (byte)(first | 0x20);
                Copy(name[1..], output, ref written);
            }

            output[written++] = (byte)'"';
            output[written++] = (byte)':';
            i = end + 2;
            if (emptyHash && depth == 1 && (name.SequenceEqual("hash"u8) || name.SequenceEqual("Hash"u8)))
            {
                var valueEnd = i < json.Length && json[i] == (byte)'"' ? StringEnd(json, i) : -1;
                if (hashSeen || valueEnd < 0)
                {
                    return -1;
                }

                hashSeen = true;
                output[written++] = (byte)'"'; // "Hash":"" as JournalHash hashes it
                output[written++] = (byte)'"';
                i = valueEnd + 1;
            }
        }

        return depth == 0 && (hashSeen || !emptyHash) ? written : -1;
    }

    /// <summary>Index of the quote closing the string that opens at <paramref name="start"/>, or -1.</summary>
    private static int StringEnd(ReadOnlySpan<byte> json, int start)
    {
        var i = start + 1;
        while (i < json.Length)
        {
            var at = json[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (at < 0)
            {
                return -1;
            }

            i += at;
            if (json[i] == (byte)'"')
            {
                return i;
            }

            i += 2; // a backslash: the byte after it is escaped
        }

        return -1;
    }

    private static void Copy(ReadOnlySpan<byte> from, Span<byte> output, ref int written)
    {
        from.CopyTo(output[written..]);
        written += from.Length;
    }
}
