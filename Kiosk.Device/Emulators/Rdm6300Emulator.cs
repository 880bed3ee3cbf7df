using Kiosk.Device.Devices.Rdm6300;
using Kiosk.Device.Linux.Serial;

namespace Kiosk.Device.Emulators;

/// <summary>An RDM6300 on the other end of a serial line (hardware-protocols.md §2). The module only transmits:
/// a card in the field gives 14-byte frames, repeated while the card is held. Garbage can be injected.</summary>
public sealed class Rdm6300Emulator(ISerialTransport port, TimeProvider time) : IDisposable
{
    /// <summary>Interval between repeated frames while a card is held (the module repeats continuously).</summary>
    public TimeSpan RepeatInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Parses "0A0018C3F2" (version byte + 32-bit id, as hex) into the 5-byte tag.</summary>
    public static byte[] ParseTag(string hex)
    {
        var tag = Convert.FromHexString(hex);
        return tag.Length == 5 ? tag : throw new ArgumentException("An RDM6300 tag is 10 hex characters.", nameof(hex));
    }

    /// <summary>One frame: a card swept past the reader.</summary>
    public ValueTask PresentAsync(string tagHex, CancellationToken cancellationToken) =>
        port.WriteAsync(Rdm6300FrameParser.Encode(ParseTag(tagHex)), cancellationToken);

    /// <summary>A card held in the field: <paramref name="frames"/> frames, <see cref="RepeatInterval"/> apart.</summary>
    public async Task HoldAsync(string tagHex, int frames, CancellationToken cancellationToken)
    {
        var frame = Rdm6300FrameParser.Encode(ParseTag(tagHex));
        for (var i = 0; i < frames; i++)
        {
            if (i > 0)
            {
                await Task.Delay(RepeatInterval, time, cancellationToken);
            }

            await port.WriteAsync(frame, cancellationToken);
        }
    }

    /// <summary>Raw bytes on the line: noise, a truncated frame, a frame with a bad checksum.</summary>
    public ValueTask WriteRawAsync(byte[] bytes, CancellationToken cancellationToken) => port.WriteAsync(bytes, cancellationToken);

    /// <summary>A well-formed frame whose checksum is wrong (must never yield a card id).</summary>
    public static byte[] WithBadChecksum(string tagHex)
    {
        var frame = Rdm6300FrameParser.Encode(ParseTag(tagHex));
        frame[12] = frame[12] == (byte)'0' ? (byte)'1' : (byte)'0';
        return frame;
    }

    public void Dispose() => port.Dispose();
}
