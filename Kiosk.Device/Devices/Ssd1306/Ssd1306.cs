using Kiosk.Device.Devices.Text;
using Kiosk.Device.Linux.I2c;

namespace Kiosk.Device.Devices.Ssd1306;

/// <summary>The SSD1306 128×64 OLED controller on I2C (hardware-protocols.md §6; dotnet/iot Ssd13xx as the model).
/// Every I2C write starts with a control byte: 0x00 = the rest are commands, 0x40 = the rest are GDDRAM data.</summary>
public sealed class Ssd1306 : IDisposable
{
    public const int DefaultAddress = 0x3C;
    public const int Width = 128;
    public const int Height = 64;
    public const int Pages = Height / 8;
    public const int FrameBytes = Width * Pages;
    public const byte CommandControl = 0x00;
    public const byte DataControl = 0x40;

    /// <summary>Init for the internal charge pump, exactly as §6 lists it: display off, clock, multiplex 63, offset 0,
    /// start line 0, charge pump on, horizontal addressing, segment remap, COM scan descending, COM pins, contrast,
    /// pre-charge, VCOMH, scrolling off, resume from RAM, normal (not inverted), display on.</summary>
    public static ReadOnlySpan<byte> InitSequence =>
    [
        0xAE, 0xD5, 0x80, 0xA8, 0x3F, 0xD3, 0x00, 0x40, 0x8D, 0x14, 0x20, 0x00, 0xA1, 0xC8, 0xDA, 0x12,
        0x81, 0xCF, 0xD9, 0xF1, 0xDB, 0x40, 0x2E, 0xA4, 0xA6, 0xAF,
    ];

    /// <summary>Column range 0..127 then page range 0..7 (§6 "Push a frame"), so data fills the whole screen from
    /// the top-left whatever the address pointer was.</summary>
    public static ReadOnlySpan<byte> WindowCommands => [0x21, 0x00, 0x7F, 0x22, 0x00, 0x07];

    private readonly II2cDevice _device;
    private readonly int _chunkSize;

    /// <param name="device">The bus device at 0x3C (or 0x3D); disposed with this driver (dotnet/iot convention, §7).</param>
    /// <param name="chunkSize">Data bytes per I2C write. The default sends the whole 1024-byte frame in one
    /// 1025-byte write (below i2c-dev's cap, one START/address overhead). A smaller chunk (e.g. 16 or 32) suits adapters
    /// limited to short transfers; each chunk is its own write with its own 0x40 control byte, and the controller's
    /// address pointer carries on across them in horizontal addressing mode.</param>
    public Ssd1306(II2cDevice device, int chunkSize = FrameBytes)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, FrameBytes);
        _device = device;
        _chunkSize = chunkSize;
    }

    /// <summary>Sends the init sequence in one command write (control byte 0x00, Co = 0: all following are commands).</summary>
    public void Initialise() => SendCommands(InitSequence);

    public void SendCommands(ReadOnlySpan<byte> commands)
    {
        Span<byte> buffer = stackalloc byte[commands.Length + 1];
        buffer[0] = CommandControl;
        commands.CopyTo(buffer[1..]);
        _device.Write(buffer);
    }

    /// <summary>Pushes a 1024-byte page-format frame: window commands, then the data with control byte 0x40.</summary>
    public void PushFrame(ReadOnlySpan<byte> pages)
    {
        if (pages.Length != FrameBytes)
        {
            throw new ArgumentException($"An SSD1306 frame is {FrameBytes} bytes, got {pages.Length}.", nameof(pages));
        }

        SendCommands(WindowCommands);
        var buffer = new byte[_chunkSize + 1];
        buffer[0] = DataControl;
        for (var at = 0; at < FrameBytes; at += _chunkSize)
        {
            var length = Math.Min(_chunkSize, FrameBytes - at);
            pages.Slice(at, length).CopyTo(buffer.AsSpan(1));
            _device.Write(buffer.AsSpan(0, length + 1));
        }
    }

    public void PushFrame(FrameBuffer frame) => PushFrame(ToPages(frame));

    /// <summary>Row-major 1-bit frame → GDDRAM layout (§6): byte index = page*128 + x, page = y>>3, bit = y&amp;7 with
    /// bit 0 the top row of the page.</summary>
    public static byte[] ToPages(FrameBuffer frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Width != Width || frame.Height != Height)
        {
            throw new ArgumentException($"Frame is {frame.Width}×{frame.Height}, the panel {Width}×{Height}.", nameof(frame));
        }

        var pages = new byte[FrameBytes];
        for (var y = 0; y < Height; y++)
        {
            var bit = (byte)(1 << (y & 7));
            var row = (y >> 3) * Width;
            for (var x = 0; x < Width; x++)
            {
                if (frame[x, y])
                {
                    pages[row + x] |= bit;
                }
            }
        }

        return pages;
    }

    public void Dispose() => _device.Dispose();
}
