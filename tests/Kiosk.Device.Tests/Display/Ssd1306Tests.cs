using System.Globalization;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.Ssd1306;
using Kiosk.Device.Devices.Text;
using Kiosk.Device.Linux.I2c;
using Kiosk.Device.Tests.I2c;

namespace Kiosk.Device.Tests.Display;

public sealed class Ssd1306Tests
{
    // GNU Unifont glyphs, copied from /usr/share/unifont/unifont.hex (§6 gives the "A" line as its example).
    private const string GlyphA = "0000000018242442427E424242420000";
    private const string GlyphZhong = "01000100010001003FF8210821082108210821083FF821080100010001000100";

    // hardware-protocols.md §6, typed in by hand.
    private static readonly byte[] Init =
    [
        0x00, 0xAE, 0xD5, 0x80, 0xA8, 0x3F, 0xD3, 0x00, 0x40, 0x8D, 0x14, 0x20, 0x00, 0xA1, 0xC8, 0xDA, 0x12,
        0x81, 0xCF, 0xD9, 0xF1, 0xDB, 0x40, 0x2E, 0xA4, 0xA6, 0xAF,
    ];

    private static readonly byte[] Window = [0x00, 0x21, 0x00, 0x7F, 0x22, 0x00, 0x07];

    /// <summary>The GDDRAM image computed here independently: each glyph row's bits (MSB = left) placed at page
    /// y/8, bit y%8, column x (§6).</summary>
    private static byte[] ExpectedPages(params (int Left, int Top, string Hex)[] glyphs)
    {
        var pages = new byte[1024];
        foreach (var (left, top, hex) in glyphs)
        {
            var width = hex.Length / 4;
            var digitsPerRow = width / 4;
            for (var y = 0; y < 16; y++)
            {
                var row = uint.Parse(hex.AsSpan(y * digitsPerRow, digitsPerRow), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                for (var x = 0; x < width; x++)
                {
                    if (((row >> (width - 1 - x)) & 1) != 0)
                    {
                        var py = top + y;
                        pages[((py / 8) * 128) + left + x] |= (byte)(1 << (py % 8));
                    }
                }
            }
        }

        return pages;
    }

    private static (FakeI2c Bus, Ssd1306Display Display) NewDisplay(int chunk = Ssd1306.FrameBytes)
    {
        var bus = new FakeI2c();
        var panel = new Ssd1306(new I2cDevDevice(bus, "/dev/i2c-1", 0x3C), chunk);
        return (bus, new Ssd1306Display(panel, new TextRenderer(UnifontHexFont.Subset())));
    }

    [Fact]
    public async Task The_first_show_sends_the_datasheet_init_sequence_then_the_window_then_the_frame()
    {
        var (bus, display) = NewDisplay();
        using var _ = display;

        await display.ShowAsync(Screen.Of("A中", "中A"), CancellationToken.None);

        Assert.Equal(("ioctl", 0x0703u, (nint)0x3C, (byte[]?)null), bus.Log[0]);
        Assert.Equal(3, bus.Writes.Count);
        Assert.Equal(Init, bus.Writes[0]);
        Assert.Equal(Window, bus.Writes[1]);
        var data = bus.Writes[2];
        Assert.Equal(1025, data.Length);
        Assert.Equal(0x40, data[0]);
        var expected = ExpectedPages((0, 0, GlyphA), (8, 0, GlyphZhong), (0, 16, GlyphZhong), (16, 16, GlyphA));
        Assert.Equal(expected, data[1..]);
    }

    [Fact]
    public async Task A_chunked_push_sends_each_chunk_with_its_own_data_control_byte_and_the_same_image()
    {
        var (bus, display) = NewDisplay(chunk: 32);
        using var _ = display;

        await display.ShowAsync(Screen.Of("A"), CancellationToken.None);

        var data = bus.Writes.Skip(2).ToList();
        Assert.Equal(32, data.Count);
        Assert.All(data, chunk => Assert.Equal((byte)0x40, chunk[0]));
        Assert.All(data, chunk => Assert.Equal(33, chunk.Length));
        Assert.Equal(ExpectedPages((0, 0, GlyphA)), data.SelectMany(chunk => chunk[1..]).ToArray());
    }

    [Fact]
    public void A_pixel_lands_in_page_y_over_8_at_bit_y_mod_8()
    {
        var frame = new FrameBuffer();
        frame[5, 10] = true;
        frame[127, 63] = true;

        var pages = Ssd1306.ToPages(frame);

        Assert.Equal(0b100, pages[128 + 5]);
        Assert.Equal(0x80, pages[(7 * 128) + 127]);
        Assert.Equal(2, pages.Count(b => b != 0));
    }

    [Fact]
    public async Task An_unchanged_screen_is_not_sent_again()
    {
        var (bus, display) = NewDisplay();
        using var _ = display;

        await display.ShowAsync(Screen.Of("08:00"), CancellationToken.None);
        await display.ShowAsync(Screen.Of("08:00"), CancellationToken.None);
        await display.ShowAsync(Screen.Of("08:01"), CancellationToken.None);

        // init, window, data, then only window + data for the changed minute.
        Assert.Equal(5, bus.Writes.Count);
        Assert.Equal(Window, bus.Writes[3]);
    }

    [Fact]
    public async Task A_write_failure_is_counted_and_the_panel_is_initialised_again_when_it_comes_back()
    {
        var (bus, display) = NewDisplay();
        using var _ = display;
        bus.FailWithErrno = 121;

        await display.ShowAsync(Screen.Of("张三 08:02"), CancellationToken.None);

        Assert.Equal(1, display.Failures);
        Assert.Empty(bus.Writes);

        bus.FailWithErrno = null;
        await display.ShowAsync(Screen.Of("张三 08:02"), CancellationToken.None);

        Assert.Equal(Init, bus.Writes[0]);
        Assert.Equal(3, bus.Writes.Count);
    }

    [Fact]
    public void A_frame_of_the_wrong_size_is_refused()
    {
        using var panel = new Ssd1306(new I2cDevDevice(new FakeI2c(), "/dev/i2c-1", 0x3C));
        Assert.Throws<ArgumentException>(() => panel.PushFrame(new byte[1023]));
    }
}
