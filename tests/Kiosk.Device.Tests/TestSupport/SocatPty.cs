using System.Diagnostics;
using System.Globalization;

namespace Kiosk.Device.Tests.TestSupport;

/// <summary>A real pseudo-terminal pair made by socat (issue 3: drivers are tested over real serial lines):
/// `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B`. The driver opens <see cref="HostPath"/>, the
/// emulator <see cref="DevicePath"/>. Killing socat is an unplug; <see cref="RestartAsync"/> plugs a new pair in
/// on the same link paths.</summary>
public sealed class SocatPty : IAsyncDisposable
{
    /// <summary>Tests that run drivers over ptys share this collection: run one after another, so timing on the
    /// 2-core CI machine stays far from the drivers' timeouts.</summary>
    public const string Collection = "Serial lines over socat ptys";

    private readonly string _directory;
    private Process? _socat;

    private SocatPty(string directory)
    {
        _directory = directory;
        HostPath = Path.Combine(directory, "host");
        DevicePath = Path.Combine(directory, "device");
    }

    public string HostPath { get; }

    public string DevicePath { get; }

    public static async Task<SocatPty> StartAsync(CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(Path.GetTempPath(), "kiosk-pty-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var pty = new SocatPty(directory);
        await pty.LaunchAsync(cancellationToken);
        return pty;
    }

    /// <summary>Unplug: SIGTERM socat (it removes its links) and wait for it to exit.</summary>
    public async Task KillAsync()
    {
        var socat = _socat;
        _socat = null;
        if (socat is null)
        {
            return;
        }

        if (!socat.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", socat.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await socat.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                socat.Kill();
            }
        }

        socat.Dispose();
        File.Delete(HostPath);
        File.Delete(DevicePath);
    }

    /// <summary>Plug back in: a new socat pair on the same link paths.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await KillAsync();
        await LaunchAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("socat")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        info.ArgumentList.Add("-d");
        info.ArgumentList.Add("-d");
        info.ArgumentList.Add($"pty,raw,echo=0,link={HostPath}");
        info.ArgumentList.Add($"pty,raw,echo=0,link={DevicePath}");
        var socat = Process.Start(info) ?? throw new InvalidOperationException("socat did not start (install the Debian package socat).");
        _socat = socat;

        // socat -d -d logs "starting data transfer loop" once both ptys and links exist: wait for that line
        // instead of sleeping.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var log = new List<string>();
        while (true)
        {
            var line = await socat.StandardError.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("socat exited: " + string.Join(" | ", log));
            log.Add(line);
            if (line.Contains("starting data transfer loop", StringComparison.Ordinal))
            {
                break;
            }
        }

        // Keep draining stderr so socat never blocks on a full pipe.
        _ = Task.Run(async () =>
        {
            try
            {
                while (await socat.StandardError.ReadLineAsync() is not null)
                {
                }
            }
            catch (InvalidOperationException)
            {
            }
        }, CancellationToken.None);

        if (!File.Exists(HostPath) || !File.Exists(DevicePath))
        {
            throw new InvalidOperationException("socat started but the pty links are missing: " + string.Join(" | ", log));
        }
    }
}
