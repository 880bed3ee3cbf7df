using Kiosk.Device.Devices;
using Kiosk.Device.Devices.ConsoleDisplay;
using Kiosk.Device.Devices.Text;

namespace Kiosk.Device.Tests.Display;

public sealed class ConsoleDisplayTests
{
    [Fact]
    public void Each_terminal_cell_shows_two_pixel_rows_with_half_blocks()
    {
        var frame = new FrameBuffer();
        frame[0, 0] = true;                    // top only
        frame[1, 1] = true;                    // bottom only
        frame[2, 0] = frame[2, 1] = true;      // both
        frame[127, 63] = true;                 // last cell, bottom

        var lines = HalfBlockDisplay.Draw(frame).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(34, lines.Length);                     // 32 rows of cells + the border
        Assert.All(lines, line => Assert.Equal(130, line.Length));
        Assert.Equal("│▀▄█ ", lines[1][..5]);
        Assert.Equal('▄', lines[32][128]);
        Assert.Equal(4, lines.Sum(line => line.Count(c => c is '▀' or '▄' or '█')));
    }

    [Fact]
    public async Task The_console_display_draws_the_same_pixels_the_oled_gets()
    {
        var output = new StringWriter();
        var renderer = new TextRenderer(UnifontHexFont.Subset());
        var display = new HalfBlockDisplay(output, renderer);

        await display.ShowAsync(Screen.Of("张三 08:02", "上午签到 迟到2分钟"), CancellationToken.None);

        var frame = renderer.Render(Screen.Of("张三 08:02", "上午签到 迟到2分钟"));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var y = 0; y < 64; y += 2)
        {
            for (var x = 0; x < 128; x++)
            {
                var cell = lines[1 + (y / 2)][1 + x];
                Assert.Equal(frame[x, y], cell is '▀' or '█');
                Assert.Equal(frame[x, y + 1], cell is '▄' or '█');
            }
        }

        Assert.True(frame.CountLit() > 300);
    }

    [Fact]
    public async Task The_plain_display_prints_the_lines_and_keeps_the_last_screen()
    {
        var output = new StringWriter();
        var display = new PlainTextDisplay(output, keepHistory: true);

        await display.ShowAsync(Screen.Of("未登记的卡", "0001623026"), CancellationToken.None);
        await display.ShowAsync(Screen.Of("已签到 07:58"), CancellationToken.None);

        Assert.Equal("[display] 未登记的卡 | 0001623026\n[display] 已签到 07:58\n", output.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(["已签到 07:58"], display.Current!.Lines);
        Assert.Equal(2, display.History.Count);
    }

    [Fact]
    public async Task Without_being_asked_the_plain_display_keeps_only_the_last_screen_not_a_growing_history()
    {
        // `kiosk run --simulate` shows screens for days: a history there would grow without bound.
        var display = new PlainTextDisplay(TextWriter.Null);

        await display.ShowAsync(Screen.Of("未登记的卡"), CancellationToken.None);
        await display.ShowAsync(Screen.Of("已签到 07:58"), CancellationToken.None);

        Assert.Equal(["已签到 07:58"], display.Current!.Lines);
        var error = Assert.Throws<InvalidOperationException>(() => display.History);
        Assert.Contains("keepHistory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrawing_in_place_moves_the_cursor_up_over_the_previous_picture()
    {
        var output = new StringWriter();
        var display = new HalfBlockDisplay(output, new TextRenderer(UnifontHexFont.Subset()), redrawInPlace: true);

        await display.ShowAsync(Screen.Of("08:00"), CancellationToken.None);
        Assert.DoesNotContain("\u001b[", output.ToString(), StringComparison.Ordinal);
        await display.ShowAsync(Screen.Of("08:01"), CancellationToken.None);

        Assert.Equal(1, output.ToString().Count(c => c == '\u001b'));
        Assert.Contains("\u001b[34A\u250C", output.ToString(), StringComparison.Ordinal);
    }
}
