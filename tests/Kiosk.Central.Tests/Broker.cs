using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Kiosk.Central.Tests;

/// <summary>A real mosquitto broker on a free loopback port (Debian package mosquitto), anonymous on loopback only,
/// stopped with the test.</summary>
internal sealed class Broker : IDisposable
{
    private readonly Process _process;

    public Broker(TempDir dir)
    {
        Port = FreePort();
        var conf = dir.File("mosquitto.conf");
        File.WriteAllText(conf, $"listener {Port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 100000\n");
        _process = Process.Start(new ProcessStartInfo("mosquitto", ["-c", conf]) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("mosquitto did not start");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        WaitForPort(Port);
    }

    public int Port { get; }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WaitForPort(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Task.Delay(50).Wait();
            }
        }

        throw new TimeoutException($"mosquitto did not listen on {port}");
    }

    /// <summary>Runs a mosquitto client tool (a client we did not write) and returns its output.</summary>
    public async Task<string> ToolAsync(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException(tool + " did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} → {process.ExitCode}: {error}");
        return output;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
