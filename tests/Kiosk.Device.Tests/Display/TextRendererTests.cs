using System.Text;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.Text;

namespace Kiosk.Device.Tests.Display;

public sealed class TextRendererTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiosk-font-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteFont(string text)
    {
        var path = Path.Combine(_dir, "font.hex");
        File.WriteAllText(path, text, Encoding.ASCII);
        return path;
    }

    [Fact]
    public void The_documented_A_glyph_reads_as_8_by_16_with_the_top_bit_on_the_left()
    {
        using var font = UnifontHexFont.FromFile(WriteFont("0041:0000000018242442427E424242420000\n"));

        Assert.True(font.TryGetGlyph('A', out var glyph));
        Assert.Equal(8, glyph!.Width);
        // row 4 is 0x18 = 00011000: pixels 3 and 4 lit.
        Assert.Equal([false, false, false, true, true, false, false, false], Enumerable.Range(0, 8).Select(x => glyph[x, 4]));
    }

    [Fact]
    public void A_missing_glyph_is_drawn_as_a_box_and_counted()
    {
        var renderer = new TextRenderer(UnifontHexFont.FromFile(WriteFont("0041:0000000018242442427E424242420000\n")));

        var frame = renderer.Render(Screen.Of("AZ中"));

        Assert.Equal(2, renderer.MissingGlyphs);
        Assert.Equal(['Z', 0x4E2D], renderer.MissingCodePoints.Order());
        var expected = new FrameBuffer();
        new TextRenderer(UnifontHexFont.FromFile(Path.Combine(_dir, "font.hex"))).DrawLine("A", 0, 0, expected);
        TextRenderer.DrawMissingBox(expected, 8, 0, 8);    // Z: an 8-px cell
        TextRenderer.DrawMissingBox(expected, 16, 0, 16);  // 中: a 16-px cell
        Assert.Equal(expected, frame);
        Assert.True(frame[9, 1] && frame[14, 14] && frame[17, 1] && frame[30, 14]);
        Assert.False(frame[11, 7]);
    }

    [Fact]
    public void Malformed_lines_are_skipped_and_counted_without_losing_the_good_ones()
    {
        using var font = UnifontHexFont.FromFile(WriteFont(
            "garbage line\n0041:0000000018242442427E424242420000\n0042:12\nZZZZ:00\n\n4E2D:01000100010001003FF8210821082108210821083FF821080100010001000100"));

        Assert.True(font.TryGetGlyph('A', out _));
        Assert.True(font.TryGetGlyph(0x4E2D, out var zhong));
        Assert.Equal(16, zhong!.Width);
        Assert.False(font.TryGetGlyph('B', out _)); // indexed, but 2 hex digits is no glyph
        Assert.Equal(2, font.MalformedLines);
    }

    [Fact]
    public void The_font_file_is_not_read_until_a_glyph_is_needed_and_then_indexed_once()
    {
        var path = WriteFont("0041:0000000018242442427E424242420000\n0042:0000007C4242427C424242427C000000\n");
        var opens = 0;
        using var font = new UnifontHexFont(() => { opens++; return File.OpenRead(path); }, "counted");

        Assert.Equal(0, opens);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(font.TryGetGlyph('A', out _));
            Assert.True(font.TryGetGlyph('B', out _));
        }

        Assert.Equal(1, opens);
    }

    [Fact]
    public void Four_lines_of_eight_hanzi_fill_the_screen_exactly()
    {
        var renderer = new TextRenderer(UnifontHexFont.Subset());
        var line = "上午签到迟到分钟";

        Assert.Equal(128, renderer.Measure(line));
        Assert.Equal(128, renderer.Measure("0123456789ABCDEF"));
        var frame = renderer.Render(Screen.Of(line, line, line, line));
        Assert.Equal(0, renderer.MissingGlyphs);
        for (var row = 0; row < 4; row++)
        {
            Assert.True(Enumerable.Range(row * 16, 16).Any(y => Enumerable.Range(112, 16).Any(x => frame[x, y])), $"line {row} reaches the right edge");
        }
    }

    [Fact]
    public void The_shipped_subset_has_every_character_of_the_kiosk_messages()
    {
        var renderer = new TextRenderer(UnifontHexFont.Subset());
        string[] messages =
        [
            "张三 08:02", "上午签到 迟到2分钟", "已签到 07:58", "未登记的卡", "指纹未识别，请重试", "时钟未校准",
            "开会 培训 走访 公务外出 其他", "标明原因", "临时外出", "今日考勤", "非工作日", "下午签退 早退5分钟",
        ];

        foreach (var message in messages)
        {
            renderer.Render(Screen.Of(message));
        }

        Assert.Equal(0, renderer.MissingGlyphs);
    }

    [Fact]
    public void The_shipped_subset_agrees_with_the_system_unifont_glyph_for_glyph()
    {
        // scripts/test.sh installs the unifont package: without it this comparison would pass by testing nothing.
        Assert.True(File.Exists(UnifontHexFont.SystemPath), $"{UnifontHexFont.SystemPath} is missing: install the Debian package unifont (scripts/test.sh does).");

        using var system = UnifontHexFont.FromFile(UnifontHexFont.SystemPath);
        using var subset = UnifontHexFont.Subset();
        foreach (var rune in "Aa0~ 张三李四王五上午签到迟到旷工，".EnumerateRunes())
        {
            Assert.True(subset.TryGetGlyph(rune.Value, out var mine), $"subset lacks {rune}");
            Assert.True(system.TryGetGlyph(rune.Value, out var theirs));
            Assert.Equal(theirs!.Width, mine!.Width);
            Assert.All(Enumerable.Range(0, 16 * mine.Width), i => Assert.Equal(theirs[i % mine.Width, i / mine.Width], mine[i % mine.Width, i / mine.Width]));
        }

        Assert.True(system.IndexedGlyphs > 50_000);
        Assert.Equal(0, system.MalformedLines);
    }

    [Fact]
    public void An_inverted_screen_lights_every_pixel_the_text_leaves_dark()
    {
        var renderer = new TextRenderer(UnifontHexFont.Subset());

        var normal = renderer.Render(Screen.Of("菜单"));
        var inverted = renderer.Render(new Screen(["菜单"], Inverted: true));

        Assert.Equal((128 * 64) - normal.CountLit(), inverted.CountLit());
    }

    [Fact]
    public void Text_past_the_right_edge_is_clipped_not_wrapped()
    {
        var renderer = new TextRenderer(UnifontHexFont.Subset());

        var frame = renderer.Render(Screen.Of("0123456789ABCDEFGHIJ"));

        Assert.Equal(160, renderer.Measure("0123456789ABCDEFGHIJ"));
        var litBelowFirstLine = Enumerable.Range(16, 48).Sum(y => Enumerable.Range(0, 128).Count(x => frame[x, y]));
        Assert.Equal(0, litBelowFirstLine);
    }
}
