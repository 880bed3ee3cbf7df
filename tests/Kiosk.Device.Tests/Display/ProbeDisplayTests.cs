using Kiosk.Device.Devices;
using Kiosk.Device.Devices.ConsoleDisplay;
using Kiosk.Device.Devices.Text;

namespace Kiosk.Device.Tests.Display;

public sealed class ProbeDisplayTests
{
    [Fact]
    public async Task The_display_probe_draws_the_given_chinese_text_in_the_terminal()
    {
        var (code, output, error) = await ProbeRunner.RunAsync("display", "--console", "社区考勤", "ABC 123");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        var expected = HalfBlockDisplay.Draw(new TextRenderer(UnifontHexFont.Default()).Render(Screen.Of("社区考勤", "ABC 123")));
        Assert.StartsWith(expected, output, StringComparison.Ordinal);
        Assert.Contains("glyphs: all found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_display_probe_reports_glyphs_it_cannot_draw()
    {
        // U+E000 is a private-use code point: no font has it, so it must come out as a counted box.
        var (code, output, _) = await ProbeRunner.RunAsync("display", "--console", "A\uE000");

        Assert.Equal(0, code);
        Assert.Contains("glyphs: 1 drawn as boxes (missing U+E000)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plain_probe_prints_the_lines()
    {
        var (code, output, _) = await ProbeRunner.RunAsync("display", "--plain", "张三 08:02", "上午签到 迟到2分钟");

        Assert.Equal(0, code);
        Assert.Equal("[display] 张三 08:02 | 上午签到 迟到2分钟", output.Trim());
    }

    [Fact]
    public async Task Without_the_i2c_bus_the_probe_fails_with_the_bus_named()
    {
        var (code, _, error) = await ProbeRunner.RunAsync("display", "--bus", "/dev/i2c-kiosk-missing", "测试");

        Assert.Equal(1, code);
        Assert.Contains("/dev/i2c-kiosk-missing", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_display_probe_has_help()
    {
        var (code, output, _) = await ProbeRunner.RunAsync("display", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--console", output, StringComparison.Ordinal);
        Assert.Contains("--address", output, StringComparison.Ordinal);
    }
}
