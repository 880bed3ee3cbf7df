using System.CommandLine;
using Kiosk.Device.Cli;
using Kiosk.Device.Emulators;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Tests.Fingerprint;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.CardReaders;

[Collection(SocatPty.Collection)]
public sealed class ProbeCardCommandTests
{
    [Fact]
    public async Task Probing_an_rdm6300_prints_the_card_id_in_the_chosen_format()
    {
        await using var pty = await SocatPty.StartAsync();
        using var emulator = new Rdm6300Emulator(LinuxSerialPort.Open(pty.DevicePath, 9600), TimeProvider.System);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var output = new SignallingWriter("卡号 card", cts);
        var root = new RootCommand { ProbeCommand.Build() };
        var probe = root.Parse(["probe", "card", "--type", "rdm6300", "--port", pty.HostPath, "--format", "Decimal10"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, cts.Token);

        // Opening the port flushes it, so the card comes once the probe says it is listening.
        await output.WaitForAsync("请刷卡");
        await emulator.WriteRawAsync([0x13, 0x37], CancellationToken.None);
        await emulator.PresentAsync("0A0018C3F2", CancellationToken.None);
        var exit = await probe;

        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("卡号 card 0001623026", text, StringComparison.Ordinal);
        Assert.Contains("frames: frames=1 garbage=2", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probing_a_pn532_prints_its_firmware_and_the_card_uid()
    {
        await using var pty = await SocatPty.StartAsync();
        await using var emulator = new Pn532Emulator(LinuxSerialPort.Open(pty.DevicePath, 115200));
        emulator.Start();
        emulator.PresentCard([0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var output = new SignallingWriter("卡号 card", cts);
        var root = new RootCommand { ProbeCommand.Build() };
        var exit = await root.Parse(["probe", "card", "--type", "pn532", "--port", pty.HostPath])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, cts.Token);

        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("PN532 firmware 1.6", text, StringComparison.Ordinal);
        Assert.Contains("卡号 card 04112233445566", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_reader_type_is_refused_with_the_allowed_values()
    {
        var output = new StringWriter();
        var root = new RootCommand { ProbeCommand.Build() };
        var exit = await root.Parse(["probe", "card", "--type", "wiegand", "--port", "/dev/null"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, CancellationToken.None);
        Assert.NotEqual(0, exit);
        Assert.Contains("rdm6300", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_card_probe_has_help()
    {
        var output = new StringWriter();
        var root = new RootCommand { ProbeCommand.Build() };
        Assert.Equal(0, await root.Parse(["probe", "card", "--help"]).InvokeAsync(new InvocationConfiguration { Output = output }, CancellationToken.None));
        Assert.Contains("--type", output.ToString(), StringComparison.Ordinal);
    }
}
