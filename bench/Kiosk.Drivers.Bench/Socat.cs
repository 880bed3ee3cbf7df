using System.Diagnostics;
using System.Globalization;

namespace Kiosk.Drivers.Bench;

/// <summary>A socat pty pair for the latency run (the same command as the tests' fixture).</summary>
internal sealed class Socat : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private Socat(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public string HostPath => Path.Combine(_directory, "host");

    public string DevicePath => Path.Combine(_directory, "device");

    public static async Task<Socat> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "kiosk-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        var info = new ProcessStartInfo("socat") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in new[] { "-d", "-d", $"pty,raw,echo=0,link={directory}/host", $"pty,raw,echo=0,link={directory}/device" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("socat is missing (Debian package socat).");
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            if (line.Contains("starting data transfer loop", StringComparison.Ordinal))
            {
                _ = process.StandardError.ReadToEndAsync();
                return new Socat(process, directory);
            }
        }

        throw new InvalidOperationException("socat exited before creating the pty pair.");
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
