using System.Buffers;
using System.Text;
using System.Text.Json;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;

namespace Kiosk.Sync.Centre;

/// <summary>The fast path of <see cref="BatchReader"/>: a batch in exactly the shape the kiosk writes it (BatchPayload,
/// SyncJson's member order, no whitespace, plain ASCII strings), read by matching that shape byte for byte instead of
/// tokenising it; on the way it writes each punch envelope's canonical text (what JournalHash hashes), so the hash check
/// needs no second pass over the envelope (<see cref="EnvelopeText"/>'s rewrite).</summary>
/// <remarks>Why: with Utf8JsonReader, reading the envelopes and rewriting them for the hash check were ~4 µs of the
/// ~20 µs of CPU a drained event cost (bench/Kiosk.Sync.Bench, perf). This path only ever says "here is the batch the
/// general reader would build" or "not sure" (null): any other order, a member more or less, whitespace, an escape, a
/// byte outside printable ASCII in a string, a number that is not plain digits, an enum spelled otherwise — the caller
/// then reads the whole batch with the general reader, which accepts or refuses with its own rules and words. An event
/// body that is not a punch in the kiosk's shape is read by the general reader's own code (PunchReader, SyncJson) over
/// its bytes, so mixed batches keep the fast path for their envelopes. BatchReaderTests holds the two paths to the same
/// results on the kiosk's batches and thousands of mutants.</remarks>
internal static class BatchTemplate
{
    /// <summary>Every byte a string may hold on this path is printable ASCII other than the quote and the backslash.</summary>
    private static readonly SearchValues<byte> StringEnd = SearchValues.Create([
        .. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\', .. Enumerable.Range(0x7F, 0x81).Select(b => (byte)b)]);

    /// <summary>A reader over a body alone: the general reader's nesting limit (JsonReaderOptions' default, 64) less the
    /// three levels above the body there (batch, events, envelope) and one to spare, so this path never accepts a body
    /// nested deeper than the general reader would; one that deep goes to the general reader, which decides.</summary>
    private static readonly JsonReaderOptions BodyOptions = new() { MaxDepth = 64 - 3 - 1 };

    /// <summary>The batch, each envelope's range in <paramref name="payload"/> and each one's canonical text in
    /// <paramref name="canonical"/> (at least as long as the payload; an empty range where the body was not a punch in
    /// the kiosk's shape); null when the payload is not exactly in the kiosk's shape.</summary>
    public static (EventBatch Batch, Range[] Slices, Range[] Canonical)? TryRead(ReadOnlySpan<byte> payload, Span<byte> canonical)
    {
        if (canonical.Length < payload.Length)
        {
            return null;
        }

        var c = new Cursor(payload);
        var strings = new Recent();
        if (!c.Literal("{\"schemaVersion\":"u8) || !c.Digits(9, out var version)
            || !c.Literal(",\"officeId\":"u8) || !c.String(out var office)
            || !c.Literal(",\"deviceId\":"u8) || !c.String(out var device)
            || !c.Literal(",\"batchId\":"u8) || !c.String(out var batchId)
            || !c.Literal(",\"events\":["u8))
        {
            return null;
        }

        var events = new List<JournalEnvelope>();
        var slices = new List<Range>();
        var texts = new List<Range>();
        var written = 0;
        do
        {
            var start = c.Position;
            if (Envelope(ref c, ref strings, canonical[written..], out var length) is not { } envelope)
            {
                return null;
            }

            events.Add(envelope);
            slices.Add(start..c.Position);
            texts.Add(written..(written + length));
            written += length;
        }
        while (c.Literal(","u8));

        // The signature is base64, whose '+' the writer's default encoder escapes (\u002B): read by the reader itself.
        if (!c.Literal("],\"signature\":"u8) || !c.AnyString(out var signature) || !c.Literal("}"u8) || !c.AtEnd)
        {
            return null;
        }

        var batch = new EventBatch((int)version, strings.Get(office), strings.Get(device), Ascii(batchId), events, signature);
        return (batch, slices.ToArray(), texts.ToArray());
    }

    /// <summary>One envelope in SyncJson's member order; <paramref name="length"/> is the length of its canonical text
    /// written to <paramref name="canonical"/>, 0 when its body was read by the general code.</summary>
    private static JournalEnvelope? Envelope(ref Cursor c, ref Recent strings, Span<byte> canonical, out int length)
    {
        length = 0;
        var start = c.Position;
        var names = new Names(start);
        if (!names.Match(ref c, "{\"officeId\":"u8) || !c.String(out var office)
            || !names.Match(ref c, ",\"deviceId\":"u8) || !c.String(out var device)
            || !names.Match(ref c, ",\"sequence\":"u8) || !c.Digits(18, out var sequence)
            || !names.Match(ref c, ",\"event\":"u8))
        {
            return null;
        }

        var (bodyStart, namesBefore) = (c.Position, names);
        var body = (AttendanceEvent?)Punch(ref c, ref names);
        var canonicalKnown = body is not null;
        if (body is null)
        {
            (c.Position, names) = (bodyStart, namesBefore);
            body = GeneralBody(ref c);
        }

        if (body is null
            || !names.Match(ref c, ",\"bootId\":"u8) || !c.String(out var bootId)
            || !names.Match(ref c, ",\"monotonicMs\":"u8) || !c.Digits(18, out var monotonic)
            || !names.Match(ref c, ",\"clock\":"u8) || !c.String(out var clockText) || EnumText<ClockQuality>.Find(clockText) is not { } clock
            || !names.Match(ref c, ",\"prevHash\":"u8) || !c.String(out var prevHash)
            || !names.Match(ref c, ",\"hash\":"u8))
        {
            return null;
        }

        var hashOpen = c.Position;
        if (!c.String(out var hash) || !c.Literal("}"u8))
        {
            return null;
        }

        if (canonicalKnown)
        {
            length = names.WriteCanonical(c.Text[start..c.Position], hashOpen - start, hash.Length, canonical);
        }

        return new JournalEnvelope(strings.Get(office), strings.Get(device), sequence, body, strings.Get(bootId), monotonic, clock,
            Ascii(prevHash), Ascii(hash));
    }

    /// <summary>A punch body in the kiosk's shape (PunchReader's, member for member), or null.</summary>
    private static Punch? Punch(ref Cursor c, ref Names names)
    {
        ReadOnlySpan<byte> worker = default, badge = default;
        long slot = 0;
        bool hasBadge = false, hasSlot = false;
        if (!c.Literal("{\"kind\":\"punch\""u8)
            || !names.Match(ref c, ",\"workerId\":"u8) || !c.String(out worker)
            || !names.Match(ref c, ",\"badgeId\":"u8) || !(c.Literal("null"u8) || (hasBadge = c.String(out badge)))
            || !names.Match(ref c, ",\"fingerSlot\":"u8) || !(c.Literal("null"u8) || (hasSlot = c.Digits(9, out slot)))
            || !names.Match(ref c, ",\"method\":"u8) || !c.String(out var methodText) || EnumText<PunchMethod>.Find(methodText) is not { } method
            || !names.Match(ref c, ",\"at\":"u8))
        {
            return null;
        }

        // The time through the reader's own ISO 8601 parser (PunchReader's TryGetDateTimeOffset), over the string alone.
        var atStart = c.Position;
        if (!c.String(out _) || !c.Literal("}"u8))
        {
            return null;
        }

        var atReader = new Utf8JsonReader(c.Text[atStart..(c.Position - 1)]);
        return atReader.Read() && atReader.TryGetDateTimeOffset(out var at)
            ? new Punch(Ascii(worker), hasBadge ? Ascii(badge) : null, hasSlot ? (int)slot : null, method, at)
            : null;
    }

    /// <summary>Any other body, read by the general reader's own code over its bytes (<see cref="BatchReader.ReadBody"/>);
    /// null when that refuses, so the general reader says why in its own words.</summary>
    private static AttendanceEvent? GeneralBody(ref Cursor c)
    {
        var reader = new Utf8JsonReader(c.Text[c.Position..], BodyOptions);
        try
        {
            if (!reader.Read())
            {
                return null;
            }

            var body = BatchReader.ReadBody(ref reader);
            c.Position += (int)reader.BytesConsumed;
            return body;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>An enum's members by their exact names, which is how JsonStringEnumConverter writes them (SyncJson sets no
    /// naming policy); any other spelling the converter might also accept goes to the general reader.</summary>
    private static class EnumText<T>
        where T : struct, Enum
    {
        private static readonly (byte[] Name, T Value)[] Members = [.. Enum.GetValues<T>().Select(v => (Encoding.UTF8.GetBytes(v.ToString()), v))];

        public static T? Find(ReadOnlySpan<byte> text)
        {
            foreach (var (name, value) in Members)
            {
                if (text.SequenceEqual(name))
                {
                    return value;
                }
            }

            return null;
        }
    }

    private static string Ascii(ReadOnlySpan<byte> text) => Encoding.ASCII.GetString(text);

    /// <summary>A position in the payload and the shapes matched there.</summary>
    private ref struct Cursor(ReadOnlySpan<byte> text)
    {
        public readonly ReadOnlySpan<byte> Text = text;

        public int Position;

        public readonly bool AtEnd => Position == Text.Length;

        public bool Literal(ReadOnlySpan<byte> literal)
        {
            if (!Text[Position..].StartsWith(literal))
            {
                return false;
            }

            Position += literal.Length;
            return true;
        }

        /// <summary>A string of printable ASCII without escapes; <paramref name="value"/> is its content.</summary>
        public bool String(out ReadOnlySpan<byte> value)
        {
            value = default;
            if (Position >= Text.Length || Text[Position] != (byte)'"')
            {
                return false;
            }

            var rest = Text[(Position + 1)..];
            var end = rest.IndexOfAny(StringEnd);
            if (end < 0 || rest[end] != (byte)'"')
            {
                return false;
            }

            value = rest[..end];
            Position += end + 2;
            return true;
        }

        /// <summary>Any JSON string, escapes included, decoded by Utf8JsonReader over its token alone (false where the
        /// reader refuses it: the general reader then words the refusal).</summary>
        public bool AnyString(out string value)
        {
            value = string.Empty;
            if (Position >= Text.Length || Text[Position] != (byte)'"')
            {
                return false;
            }

            var end = Position + 1;
            while (true)
            {
                var at = end < Text.Length ? Text[end..].IndexOfAny((byte)'"', (byte)'\\') : -1;
                if (at < 0)
                {
                    return false;
                }

                end += at;
                if (Text[end] == (byte)'"')
                {
                    break;
                }

                end += 2; // a backslash: the byte after it is escaped, never the closing quote
            }

            var token = new Utf8JsonReader(Text[Position..(end + 1)]);
            try
            {
                if (!token.Read() || token.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                value = token.GetString()!;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                return false;
            }

            Position = end + 1;
            return true;
        }

        /// <summary>A non-negative integer as JSON writes it (no sign, no leading zero, no fraction or exponent: a
        /// following '.', 'e' or digit fails the next literal), of at most <paramref name="maxDigits"/> digits.</summary>
        public bool Digits(int maxDigits, out long value)
        {
            value = 0;
            var start = Position;
            while (Position < Text.Length && Text[Position] is >= (byte)'0' and <= (byte)'9' && Position - start < maxDigits)
            {
                value = (value * 10) + (Text[Position] - '0');
                Position++;
            }

            var count = Position - start;
            return count > 0 && !(count > 1 && Text[start] == (byte)'0');
        }
    }

    /// <summary>The positions of an envelope's member names (relative to its start), for its canonical text: each
    /// name's first letter upper-cased, the "kind" discriminator left as it is (docs/protocol.md, "EventBatch").</summary>
    private struct Names(int start)
    {
        private readonly int _start = start;
        private NameBuffer _at;
        private int _count;

        /// <summary>Matches <paramref name="literal"/> (a name with its quotes, after a ',' or '{', before ':') and notes
        /// where the name's first letter is.</summary>
        public bool Match(ref Cursor c, ReadOnlySpan<byte> literal)
        {
            var at = c.Position + 2 - _start;
            if (!c.Literal(literal) || _count == NameBuffer.Size)
            {
                return false;
            }

            _at[_count++] = at;
            return true;
        }

        /// <summary>Writes the canonical text: <paramref name="envelope"/> with the hash value (of
        /// <paramref name="hashLength"/> bytes, its opening quote at <paramref name="hashOpen"/>) left out and every
        /// noted name capitalised. Returns its length.</summary>
        public readonly int WriteCanonical(ReadOnlySpan<byte> envelope, int hashOpen, int hashLength, Span<byte> output)
        {
            envelope[..(hashOpen + 1)].CopyTo(output);
            envelope[(hashOpen + 1 + hashLength)..].CopyTo(output[(hashOpen + 1)..]);
            for (var i = 0; i < _count; i++)
            {
                // Every name lies before the hash value, so its position is unchanged.
                output[_at[i]] = (byte)(output[_at[i]] & ~0x20);
            }

            return envelope.Length - hashLength;
        }
    }

    [System.Runtime.CompilerServices.InlineArray(Size)]
    private struct NameBuffer
    {
        public const int Size = 16;
        private int _element;
    }

    /// <summary>The office, device and boot ids repeat in every envelope of a batch: the previous instances are reused
    /// (as BatchReader does), instead of allocating 500 copies.</summary>
    private struct Recent
    {
        private string? _a, _b, _c;

        public string Get(ReadOnlySpan<byte> text)
        {
            foreach (var known in (ReadOnlySpan<string?>)[_a, _b, _c])
            {
                if (known is not null && System.Text.Ascii.Equals(text, known))
                {
                    return known;
                }
            }

            var value = Ascii(text);
            (_c, _b, _a) = (_b, _a, value);
            return value;
        }
    }
}
