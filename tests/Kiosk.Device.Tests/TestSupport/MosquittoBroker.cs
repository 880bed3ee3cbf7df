using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kiosk.Device.Tests.TestSupport;

/// <summary>A real mosquitto (Debian package) on a free loopback port, anonymous on loopback only, no persistence,
/// and its command-line clients (mosquitto_pub/mosquitto_sub: clients we did not write) for the tests that run the
/// kiosk program against it. Shared by the hosting tests so the start-up is written once.</summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly List<string> _stderr = [];

    private MosquittoBroker(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
        // Drained as it comes: mosquitto logs every connection to stderr, and an unread pipe would block it.
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_stderr)
                {
                    _stderr.Add(line);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    /// <summary>Writes mosquitto.conf into <paramref name="directory"/> (the caller's temp directory, deleted by it)
    /// and returns once the broker accepts TCP connections.</summary>
    public static async Task<MosquittoBroker> StartAsync(string directory)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var conf = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(conf, $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        var process = Process.Start(new ProcessStartInfo("mosquitto", ["-c", conf]) { UseShellExecute = false, RedirectStandardError = true })
            ?? throw new InvalidOperationException("mosquitto did not start");
        var broker = new MosquittoBroker(process, directory, port);
        for (var i = 0; i < 100 && !process.HasExited; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return broker;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        var log = broker.Log();
        await broker.DisposeAsync();
        throw new TimeoutException($"mosquitto did not listen on {port}. Its log:\n{log}");
    }

    /// <summary>Publishes <paramref name="payload"/> retained at QoS 1 with mosquitto_pub, asserting it succeeded.</summary>
    public async Task PublishRetainedAsync(string topic, byte[] payload)
    {
        var file = Path.Combine(_directory, "payload-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllBytesAsync(file, payload);
        using var pub = Process.Start(new ProcessStartInfo("mosquitto_pub",
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-r", "-t", topic, "-f", file])
        { UseShellExecute = false, RedirectStandardError = true })!;
        var error = await pub.StandardError.ReadToEndAsync();
        await pub.WaitForExitAsync();
        Assert.True(pub.ExitCode == 0, "mosquitto_pub: " + error);
    }

    /// <summary>A mosquitto_sub on <paramref name="topic"/> that prints one payload a line and exits after
    /// <paramref name="count"/> messages or <paramref name="waitSeconds"/> without one. The caller reads its stdout.</summary>
    public Process Subscribe(string topic, int count, int waitSeconds) =>
        Process.Start(new ProcessStartInfo("mosquitto_sub",
        [
            "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-t", topic,
            "-C", count.ToString(CultureInfo.InvariantCulture), "-W", waitSeconds.ToString(CultureInfo.InvariantCulture),
        ])
        { UseShellExecute = false, RedirectStandardOutput = true })!;

    /// <summary>What mosquitto wrote to stderr so far, for failure messages.</summary>
    public string Log()
    {
        lock (_stderr)
        {
            return string.Join("\n", _stderr);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
