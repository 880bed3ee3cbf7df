using System.Buffers.Binary;

namespace Kiosk.Device.Tests.Input;

/// <summary>struct input_event written out by hand from linux/input.h (§4), independent of the production layout.</summary>
internal static class EventBytes
{
    public static byte[] Event64(long sec, long usec, ushort type, ushort code, int value)
    {
        var b = new byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(b, sec);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), usec);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(16), type);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), code);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(20), value);
        return b;
    }

    public static byte[] Event32(uint sec, uint usec, ushort type, ushort code, int value)
    {
        var b = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(b, sec);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), usec);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), type);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(10), code);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(12), value);
        return b;
    }

    /// <summary>One keystroke as a keyboard sends it (§4): MSC_SCAN, KEY down, SYN, KEY up, SYN; 64-bit layout.
    /// <paramref name="atMs"/> is the kernel time of the key-down.</summary>
    public static byte[] Keystroke64(ushort code, long atMs)
    {
        var sec = atMs / 1000;
        var usec = atMs % 1000 * 1000;
        return
        [
            .. Event64(sec, usec, 4, 4, 0x70000 + code),
            .. Event64(sec, usec, 1, code, 1),
            .. Event64(sec, usec, 0, 0, 0),
            .. Event64(sec, usec + 10, 1, code, 0),
            .. Event64(sec, usec + 10, 0, 0, 0),
        ];
    }

    /// <summary>Key codes for a typed string: digits on the top row, A–F, '\n' = Enter (§4 key table).</summary>
    public static ushort[] Codes(string typed) => typed.Select(c => c switch
    {
        '0' => (ushort)11,
        >= '1' and <= '9' => (ushort)(c - '1' + 2),
        'A' => (ushort)30,
        'B' => (ushort)48,
        'C' => (ushort)46,
        'D' => (ushort)32,
        'E' => (ushort)18,
        'F' => (ushort)33,
        '\n' => (ushort)28,
        ' ' => (ushort)57,
        _ => throw new ArgumentOutOfRangeException(nameof(typed), c, "no key for this test character"),
    }).ToArray();

    public static byte[] Typed64(string typed, long startMs = 1_000, long stepMs = 8) =>
        Codes(typed).SelectMany((code, i) => Keystroke64(code, startMs + (i * stepMs))).ToArray();
}
