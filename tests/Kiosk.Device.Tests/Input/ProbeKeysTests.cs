using Kiosk.Device.Tests.Display;

namespace Kiosk.Device.Tests.Input;

public sealed class ProbeKeysTests
{
    [Fact]
    public async Task The_keys_probe_prints_each_key_and_what_was_typed()
    {
        var path = Path.GetTempFileName();
        try
        {
            // KP1 KP2 KP3 then KPENTER, as a USB numeric keypad sends them (§4).
            byte[] events = [.. EventBytes.Keystroke64(79, 0), .. EventBytes.Keystroke64(80, 5), .. EventBytes.Keystroke64(81, 10), .. EventBytes.Keystroke64(96, 15)];
            await File.WriteAllBytesAsync(path, events);

            var (code, output, error) = await ProbeRunner.RunAsync("keys", "--device", path, "--no-grab", "--layout", "64");

            Assert.Equal(0, code);
            Assert.Equal(string.Empty, error);
            Assert.Contains("grabbed: False, event size 24 bytes", output, StringComparison.Ordinal);
            Assert.Contains("key  79 KP1        down   → Digit 1", output, StringComparison.Ordinal);
            Assert.Contains("key  96 KPENTER    down   → Enter", output, StringComparison.Ordinal);
            Assert.Contains("key  96 KPENTER    up     → Enter", output, StringComparison.Ordinal);
            Assert.Contains("typed: 123", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_keys_probe_refuses_a_device_it_cannot_grab()
    {
        var path = Path.GetTempFileName();
        try
        {
            var (code, _, error) = await ProbeRunner.RunAsync("keys", "--device", path);

            Assert.Equal(1, code);
            Assert.Contains("not an evdev input device", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_keys_probe_has_help()
    {
        var (code, output, _) = await ProbeRunner.RunAsync("keys", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--no-grab", output, StringComparison.Ordinal);
    }
}
