using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.ConsoleDisplay;
using Kiosk.Device.Devices.Ssd1306;
using Kiosk.Device.Devices.Text;
using Kiosk.Device.Linux.I2c;

namespace Kiosk.Device.Cli;

/// <summary>`kiosk probe display 张三 08:02`: shows up to four lines on the OLED (or in the terminal with --console),
/// so a technician sees at once whether the panel, its wiring and the Chinese font work (issue 3 "Probe commands").</summary>
internal static class ProbeDisplayCommand
{
    public static Command Build()
    {
        var lines = new Argument<string[]>("lines") { Description = "up to 4 lines of text (8 hanzi or 16 ASCII each)", Arity = ArgumentArity.ZeroOrMore };
        var console = new Option<bool>("--console") { Description = "draw the 128×64 picture in this terminal (half blocks) instead of the OLED" };
        var plain = new Option<bool>("--plain") { Description = "only print the lines as text (no pixels)" };
        var bus = new Option<string>("--bus") { Description = "i2c-dev bus of the OLED", DefaultValueFactory = _ => "/dev/i2c-1" };
        var address = new Option<string>("--address") { Description = "7-bit I2C address (0x3C, or 0x3D with SA0 high)", DefaultValueFactory = _ => "0x3C" };
        var font = new Option<string?>("--font") { Description = "GNU Unifont .hex file (default /usr/share/unifont/unifont.hex, else the shipped subset)" };
        var invert = new Option<bool>("--invert") { Description = "white background" };
        var command = new Command("display", "显示测试 · show a text on the OLED (I2C) or in the terminal");
        command.Arguments.Add(lines);
        command.Options.Add(console);
        command.Options.Add(plain);
        command.Options.Add(bus);
        command.Options.Add(address);
        command.Options.Add(font);
        command.Options.Add(invert);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var text = parseResult.GetValue(lines) is { Length: > 0 } given ? given : ["考勤终端 显示测试", "ABC abc 0123456", TimeProvider.System.GetLocalNow().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), "█ 上午签到 迟到"];
            var screen = new Screen(text, parseResult.GetValue(invert));
            if (parseResult.GetValue(plain))
            {
                await new PlainTextDisplay(output).ShowAsync(screen, cancellationToken).ConfigureAwait(false);
                return 0;
            }

            IGlyphSource glyphs;
            try
            {
                glyphs = UnifontHexFont.Default(parseResult.GetValue(font));
            }
            catch (FileNotFoundException ex)
            {
                await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return 2;
            }

            var renderer = new TextRenderer(glyphs);
            if (parseResult.GetValue(console))
            {
                await new HalfBlockDisplay(output, renderer).ShowAsync(screen, cancellationToken).ConfigureAwait(false);
                await ReportMissingAsync(output, renderer).ConfigureAwait(false);
                return 0;
            }

            var addressText = parseResult.GetValue(address) ?? "0x3C";
            if (!int.TryParse(addressText.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? addressText[2..] : addressText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var i2cAddress))
            {
                await error.WriteLineAsync($"--address {addressText}: expected hex such as 0x3C").ConfigureAwait(false);
                return 2;
            }

            var busPath = parseResult.GetValue(bus) ?? "/dev/i2c-1";
            try
            {
                using var panel = new Ssd1306(new I2cDevDevice(new LinuxI2cFiles(), busPath, i2cAddress));
                var watch = Stopwatch.StartNew();
                panel.Initialise();
                panel.PushFrame(renderer.Render(screen));
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"OK: init + frame ({Ssd1306.FrameBytes} bytes) sent to {busPath} 0x{i2cAddress:X2} in {watch.ElapsedMilliseconds} ms")).ConfigureAwait(false);
                await ReportMissingAsync(output, renderer).ConfigureAwait(false);
                return 0;
            }
            catch (IOException ex)
            {
                await error.WriteLineAsync($"display probe failed: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task ReportMissingAsync(TextWriter output, TextRenderer renderer)
    {
        var missing = renderer.MissingCodePoints.Select(c => "U+" + c.ToString("X4", CultureInfo.InvariantCulture)).ToList();
        await output.WriteLineAsync(missing.Count == 0
            ? "glyphs: all found"
            : string.Create(CultureInfo.InvariantCulture, $"glyphs: {renderer.MissingGlyphs} drawn as boxes (missing {string.Join(' ', missing)})")).ConfigureAwait(false);
    }
}
