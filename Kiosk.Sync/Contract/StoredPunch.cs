using System.Buffers;

namespace Kiosk.Sync.Contract;

/// <summary>The fast path of <see cref="EnvelopeText.StoredToWireInPlace"/> for the envelope a kiosk sends most: a punch
/// in exactly the shape the journal stores it (System.Text.Json's member order, no escapes in its strings). Its names
/// are matched in order and each one's first letter lower-cased where it stands; the values between them are only
/// skipped.</summary>
/// <remarks>The byte scanner (<see cref="EnvelopeText.Rewrite"/>) searches for the end of each of the envelope's ~21
/// strings in turn and was ~4 % of a drain's CPU on the device (bench/Kiosk.Sync.Bench, perf). Any other text (another
/// kind, an escape, a member more or less) returns false untouched and takes the byte scanner; both give the same
/// bytes for every text this accepts (WireEnvelopeTests).</remarks>
internal static class StoredPunch
{
    private enum Value
    {
        String,
        Number,
        StringOrNull,
        NumberOrNull,
    }

    /// <summary>The shape: each literal (a name with what surrounds it) and the value after it; the last literal closes
    /// the envelope.</summary>
    private static readonly (byte[] Literal, int[] Names, Value? Then)[] Shape = Build(
        ("{\"OfficeId\":", Value.String),
        (",\"DeviceId\":", Value.String),
        (",\"Sequence\":", Value.Number),
        (",\"Event\":{\"kind\":\"punch\",\"WorkerId\":", Value.String),
        (",\"BadgeId\":", Value.StringOrNull),
        (",\"FingerSlot\":", Value.NumberOrNull),
        (",\"Method\":", Value.String),
        (",\"At\":", Value.String),
        ("},\"BootId\":", Value.String),
        (",\"MonotonicMs\":", Value.Number),
        (",\"Clock\":", Value.String),
        (",\"PrevHash\":", Value.String),
        (",\"Hash\":", Value.String),
        ("}", null));

    private static readonly int NameCount = Shape.Sum(step => step.Names.Length);

    private static readonly SearchValues<byte> NumberBytes = SearchValues.Create("-0123456789"u8);

    /// <summary>Lower-cases the first letter of each name of a stored punch envelope in place; false (the text
    /// untouched) when it is not exactly in that shape.</summary>
    public static bool ToWireInPlace(Span<byte> utf8)
    {
        Span<int> names = stackalloc int[NameCount];
        int count = 0, at = 0;
        foreach (var (literal, offsets, then) in Shape)
        {
            if (!utf8[at..].StartsWith(literal))
            {
                return false;
            }

            foreach (var offset in offsets)
            {
                names[count++] = at + offset;
            }

            at += literal.Length;
            if (then is { } value && !Skip(utf8, ref at, value))
            {
                return false;
            }
        }

        if (at != utf8.Length)
        {
            return false;
        }

        foreach (var name in names[..count])
        {
            utf8[name] |= 0x20;
        }

        return true;
    }

    private static bool Skip(ReadOnlySpan<byte> text, ref int at, Value value)
    {
        if (value is Value.StringOrNull or Value.NumberOrNull && text[at..].StartsWith("null"u8))
        {
            at += 4;
            return true;
        }

        if (value is Value.String or Value.StringOrNull)
        {
            // A string without escapes: the next quote closes it.
            if (at >= text.Length || text[at] != (byte)'"')
            {
                return false;
            }

            var end = text[(at + 1)..].IndexOfAny((byte)'"', (byte)'\\');
            if (end < 0 || text[at + 1 + end] != (byte)'"')
            {
                return false;
            }

            at += end + 2;
            return true;
        }

        var length = text[at..].IndexOfAnyExcept(NumberBytes);
        if (length <= 0)
        {
            return false;
        }

        at += length;
        return true;
    }

    /// <summary>Each literal with the positions of the capital letters that begin its names ("kind" stays as it is).</summary>
    private static (byte[], int[], Value?)[] Build(params (string Literal, Value? Then)[] steps) =>
        [.. steps.Select(s => (System.Text.Encoding.ASCII.GetBytes(s.Literal),
            Enumerable.Range(1, s.Literal.Length - 1).Where(i => s.Literal[i - 1] == '"' && char.IsAsciiLetterUpper(s.Literal[i])).ToArray(),
            s.Then))];
}
