using Kiosk.Device.Linux.Serial;

namespace Kiosk.Device.Devices.Rdm6300;

/// <summary>Why a byte sequence was not a card frame (for the counters and the log).</summary>
public enum Rdm6300FrameError { None, Garbage, Truncated, BadCharacter, MissingEnd, Checksum }

/// <summary>Byte-at-a-time RDM6300 frame parser (hardware-protocols.md §2): 0x02, 10 ASCII hex data characters
/// (version byte + 32-bit tag), 2 ASCII hex checksum characters, 0x03; checksum = XOR of the 5 data bytes.
/// Resynchronises on every 0x02, accepts only 14-byte frames ending in 0x03. Never returns a tag whose checksum
/// is wrong.</summary>
public sealed class Rdm6300FrameParser
{
    public const byte Start = 0x02;
    public const byte End = 0x03;
    public const int FrameLength = 14;

    // Decoded nibbles of the 12 characters between the markers.
    private readonly byte[] _chars = new byte[12];
    private int _count = -1; // -1: outside a frame, 0..12: characters collected, 12: waiting for 0x03

    public FrameStatistics Statistics { get; } = new();

    /// <summary>The error of the last byte pushed (None when it was fine or a frame completed).</summary>
    public Rdm6300FrameError LastError { get; private set; }

    /// <summary>Feeds one byte. Returns true with the 5-byte tag (version, id3..id0) when a valid frame ends.</summary>
    public bool TryPush(byte b, Span<byte> tag)
    {
        LastError = Rdm6300FrameError.None;
        if (b == Start)
        {
            if (_count >= 0)
            {
                // A new start before the end: the previous frame was cut off (resync on 0x02, §2).
                Statistics.Truncate();
                LastError = Rdm6300FrameError.Truncated;
            }

            _count = 0;
            return false;
        }

        if (_count < 0)
        {
            Statistics.Garbage();
            LastError = Rdm6300FrameError.Garbage;
            return false;
        }

        if (_count < 12)
        {
            var nibble = HexValue(b);
            if (nibble < 0)
            {
                Statistics.Corruption();
                LastError = Rdm6300FrameError.BadCharacter;
                _count = -1;
                return false;
            }

            _chars[_count++] = (byte)nibble;
            return false;
        }

        // 13 bytes seen (start + 12 characters): this one must be the end marker.
        _count = -1;
        if (b != End)
        {
            Statistics.Corruption();
            LastError = Rdm6300FrameError.MissingEnd;
            return false;
        }

        byte xor = 0;
        for (var i = 0; i < 5; i++)
        {
            var value = (byte)((_chars[2 * i] << 4) | _chars[(2 * i) + 1]);
            tag[i] = value;
            xor ^= value;
        }

        var expected = (byte)((_chars[10] << 4) | _chars[11]);
        if (xor != expected)
        {
            tag[..5].Clear();
            Statistics.Checksum();
            LastError = Rdm6300FrameError.Checksum;
            return false;
        }

        Statistics.Frame();
        return true;
    }

    /// <summary>Builds the 14-byte frame for a 5-byte tag (used by the emulator and tests).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> tag)
    {
        if (tag.Length != 5)
        {
            throw new ArgumentException("An RDM6300 tag is 5 bytes (version + 32-bit id).", nameof(tag));
        }

        byte xor = 0;
        foreach (var t in tag)
        {
            xor ^= t;
        }

        var frame = new byte[FrameLength];
        frame[0] = Start;
        var hex = Convert.ToHexString(tag) + Convert.ToHexString([xor]);
        for (var i = 0; i < 12; i++)
        {
            frame[i + 1] = (byte)hex[i];
        }

        frame[13] = End;
        return frame;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        // Lower case is not what the module sends, but costs nothing to accept.
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };
}
