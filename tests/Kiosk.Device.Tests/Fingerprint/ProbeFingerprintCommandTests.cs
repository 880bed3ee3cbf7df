using System.CommandLine;
using Kiosk.Device.Cli;
using Kiosk.Device.Emulators;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.Fingerprint;

[Collection(SocatPty.Collection)]
public sealed class ProbeFingerprintCommandTests
{
    [Fact]
    public async Task The_probe_prints_parameters_and_template_count_then_identifies_a_finger()
    {
        await using var pty = await SocatPty.StartAsync();
        await using var emulator = new R30xEmulator(LinuxSerialPort.Open(pty.DevicePath, 57600));
        emulator.Start();
        emulator.Enrol(5, "technician");
        emulator.Enrol(6, "other");
        emulator.PutFingerOfSlot(5);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var output = new SignallingWriter("match slot=", cts);
        var root = new RootCommand { ProbeCommand.Build() };
        var exit = await root.Parse(["probe", "fingerprint", "--port", pty.HostPath, "--baud", "57600", "--wait", "3"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, cts.Token);

        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains("capacity=1000", text, StringComparison.Ordinal);
        Assert.Contains("templates=2", text, StringComparison.Ordinal);
        Assert.Contains("slots=5,6", text, StringComparison.Ordinal);
        Assert.Contains("match slot=5 score=100", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_probe_names_a_missing_port_and_fails()
    {
        var output = new StringWriter();
        var root = new RootCommand { ProbeCommand.Build() };
        var exit = await root.Parse(["probe", "fingerprint", "--port", "/dev/does-not-exist"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, CancellationToken.None);
        Assert.NotEqual(0, exit);
        Assert.Contains("/dev/does-not-exist", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_probe_has_help_describing_its_options()
    {
        var output = new StringWriter();
        var root = new RootCommand { ProbeCommand.Build() };
        var exit = await root.Parse(["probe", "fingerprint", "--help"]).InvokeAsync(new InvocationConfiguration { Output = output }, CancellationToken.None);
        Assert.Equal(0, exit);
        Assert.Contains("--port", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--baud", output.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>Collects output and cancels the command once a line containing <paramref name="marker"/> was
/// written: "run the handler in process, cancel after the first result".</summary>
internal sealed class SignallingWriter(string marker, CancellationTokenSource cancel) : StringWriter
{
    private readonly object _gate = new();

    public override void Write(char value)
    {
        lock (_gate)
        {
            base.Write(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            base.Write(value);
            if (value?.Contains(marker, StringComparison.Ordinal) == true)
            {
                cancel.Cancel();
            }
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write(Environment.NewLine);
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    /// <summary>Waits (bounded) until <paramref name="text"/> was written, e.g. the probe's "ready" line.</summary>
    public async Task WaitForAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!ToString().Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return base.ToString();
        }
    }
}
