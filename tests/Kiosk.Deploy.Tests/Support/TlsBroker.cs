using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kiosk.Deploy.Tests.Support;

/// <summary>
/// A real mosquitto with one TLS listener on a free loopback port that requires a client certificate,
/// configured from a make-certs CA folder. Started and stopped by the test that uses it.
/// </summary>
internal sealed class TlsBroker : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> log = [];

    private TlsBroker(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string Log
    {
        get
        {
            lock (log)
            {
                return string.Join('\n', log);
            }
        }
    }

    public static async Task<TlsBroker> StartAsync(string pkiDir, string workDir, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var conf = Path.Combine(workDir, "mosquitto.conf");
        File.WriteAllText(conf, string.Join('\n',
            string.Create(CultureInfo.InvariantCulture, $"listener {port} 127.0.0.1"),
            $"cafile {Path.Combine(pkiDir, "ca.crt")}",
            $"certfile {Path.Combine(pkiDir, "server.crt")}",
            $"keyfile {Path.Combine(pkiDir, "server.key")}",
            "require_certificate true",
            "use_identity_as_username true",
            "allow_anonymous false",
            "persistence false",
            "log_dest stderr",
            "log_type all",
            // As root mosquitto would switch to the mosquitto user, which cannot read the temp folder.
            "user root",
            string.Empty));

        return await StartWithConfigAsync(conf, port, cancellationToken);
    }

    /// <summary>Starts mosquitto on a configuration file the caller wrote; <paramref name="port"/> is reported back.</summary>
    public static async Task<TlsBroker> StartWithConfigAsync(string conf, int port, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("mosquitto") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(conf);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start mosquitto");
        var broker = new TlsBroker(process, port);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                running.TrySetException(new InvalidOperationException("mosquitto exited:\n" + broker.Log));
                return;
            }

            lock (broker.log)
            {
                broker.log.Add(e.Data);
            }

            if (e.Data.Contains(" running", StringComparison.Ordinal))
            {
                running.TrySetResult();
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        await running.Task.WaitAsync(TimeSpan.FromSeconds(15), cancellationToken);
        return broker;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
