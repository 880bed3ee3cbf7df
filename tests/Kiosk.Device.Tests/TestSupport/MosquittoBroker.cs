using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

// A neutral namespace: this one file is compiled into Kiosk.Device.Tests and, linked, into Kiosk.Central.Tests
// (see that project's csproj), so the broker start-up is written once for both.
namespace Kiosk.Testing.Mosquitto;

/// <summary>A real mosquitto (Debian package) on a free loopback port, anonymous on loopback only, no persistence,
/// and its command-line clients (mosquitto_pub/mosquitto_sub: clients we did not write) for the tests that run the
/// kiosk program or the centre against it.</summary>
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
    /// and returns once the broker accepts TCP connections. <paramref name="maxQueuedMessages"/>, when given, raises
    /// mosquitto's per-client queue limit (default 1000) so a test that queues many QoS 1 messages for an offline
    /// subscriber does not see the broker drop them.</summary>
    public static async Task<MosquittoBroker> StartAsync(string directory, int? maxQueuedMessages = null, CancellationToken cancellationToken = default)
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var conf = Path.Combine(directory, "mosquitto.conf");
        // The default log types plus "subscribe", so SubscribeAsync can wait for the broker to record a subscription.
        var text = $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1\nallow_anonymous true\npersistence false\n"
            + "log_type error\nlog_type warning\nlog_type notice\nlog_type information\nlog_type subscribe\n";
        if (maxQueuedMessages is { } max)
        {
            text += $"max_queued_messages {max.ToString(CultureInfo.InvariantCulture)}\n";
        }

        await File.WriteAllTextAsync(conf, text, cancellationToken);
        var process = Process.Start(new ProcessStartInfo("mosquitto", ["-c", conf]) { UseShellExecute = false, RedirectStandardError = true })
            ?? throw new InvalidOperationException("mosquitto did not start");
        var broker = new MosquittoBroker(process, directory, port);
        for (var i = 0; i < 100 && !process.HasExited; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return broker;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        var log = broker.Log();
        await broker.DisposeAsync();
        throw new TimeoutException($"mosquitto did not listen on {port}. Its log:\n{log}");
    }

    /// <summary>Publishes <paramref name="payload"/> retained at QoS 1 with mosquitto_pub, asserting it succeeded.</summary>
    public async Task PublishRetainedAsync(string topic, byte[] payload, CancellationToken cancellationToken = default)
    {
        var file = Path.Combine(_directory, "payload-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllBytesAsync(file, payload, cancellationToken);
        await ToolAsync("mosquitto_pub", ["-q", "1", "-r", "-t", topic, "-f", file], cancellationToken);
    }

    /// <summary>A mosquitto_sub on <paramref name="topic"/> that prints one payload a line and exits after
    /// <paramref name="count"/> messages or <paramref name="waitSeconds"/> without one, returned once the broker has
    /// logged its subscription ("&lt;client&gt; &lt;qos&gt; &lt;topic&gt;"), so nothing published afterwards can
    /// miss it (a fixed delay was a race on a slow machine). The caller reads its stdout.</summary>
    public async Task<Process> SubscribeAsync(string topic, int count, int waitSeconds, CancellationToken cancellationToken = default)
    {
        var subscribed = " " + topic;
        var before = LogLines().Count(line => line.EndsWith(subscribed, StringComparison.Ordinal));
        var process = Process.Start(new ProcessStartInfo("mosquitto_sub",
        [
            .. HostArgs(), "-t", topic,
            "-C", count.ToString(CultureInfo.InvariantCulture), "-W", waitSeconds.ToString(CultureInfo.InvariantCulture),
        ])
        { UseShellExecute = false, RedirectStandardOutput = true })!;
        var deadline = Stopwatch.StartNew();
        // A subscriber that already exited got its messages (a retained one arrives at once) or failed: either way
        // the caller reads what it printed; the broker's log of it may still be in the pipe.
        while (!process.HasExited && LogLines().Count(line => line.EndsWith(subscribed, StringComparison.Ordinal)) == before)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                process.Kill();
                process.Dispose();
                throw new TimeoutException($"mosquitto_sub did not subscribe to {topic}. The broker's log:\n{Log()}");
            }

            await Task.Delay(20, cancellationToken);
        }

        return process;
    }

    /// <summary>Runs a mosquitto client tool (<paramref name="tool"/>, e.g. mosquitto_sub) against this broker with
    /// <paramref name="args"/> after the host and port, asserts it exited 0 and returns its stdout.</summary>
    public async Task<string> ToolAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, [.. HostArgs(), .. args])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException(tool + " did not start");
        // Both pipes read at once: reading one to the end first could block the tool on a full other pipe.
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)} → {process.ExitCode}: {await error}\nBroker log:\n{Log()}");
        return await output;
    }

    /// <summary>What mosquitto wrote to stderr so far, for failure messages.</summary>
    public string Log() => string.Join("\n", LogLines());

    private string[] LogLines()
    {
        lock (_stderr)
        {
            return [.. _stderr];
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

    private string[] HostArgs() => ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture)];
}
