using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kiosk.Sync.Testing;

/// <summary>A real mosquitto (Debian package) on free loopback ports, run with the configuration the product ships
/// (deploy-rpi/centre/mosquitto/) adapted only in its paths, ports and log destination. Users get passwords made
/// with mosquitto_passwd; the TLS listener gets a CA and server certificate made here.</summary>
public sealed partial class BrokerProcess : IAsyncDisposable
{
    private Process? _process;

    private BrokerProcess(string dir, int port, int tlsPort)
    {
        Dir = dir;
        Port = port;
        TlsPort = tlsPort;
    }

    public string Dir { get; }

    public int Port { get; }

    public int TlsPort { get; }

    public string CaFile => Path.Combine(Dir, "certs", "ca.crt");

    public string LogFile => Path.Combine(Dir, "mosquitto.log");

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Where the shipped broker files are: copied next to the test assembly (broker/), or found in the
    /// repository for tools that link this file (the bench).</summary>
    public static string ShippedConfigDir()
    {
        var local = Path.Combine(AppContext.BaseDirectory, "broker");
        if (File.Exists(Path.Combine(local, "mosquitto.conf")))
        {
            return local;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy-rpi", "centre", "mosquitto");
            if (File.Exists(Path.Combine(candidate, "mosquitto.conf")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("deploy-rpi/centre/mosquitto/mosquitto.conf not found (run from the repository)");
    }

    public static async Task<BrokerProcess> StartAsync(IEnumerable<(string User, string Password)> users)
    {
        var dir = Directory.CreateTempSubdirectory("kiosk-broker-").FullName;
        var broker = new BrokerProcess(dir, FreePort(), FreePort());
        try
        {
            await broker.PrepareAsync(users);
            await broker.StartAgainAsync();
            return broker;
        }
        catch
        {
            await broker.DisposeAsync(); // no stray broker or temp directory when start-up fails
            throw;
        }
    }

    /// <summary>Starts mosquitto (again) with the same configuration and persistence directory.</summary>
    public async Task StartAgainAsync()
    {
        var psi = new ProcessStartInfo("mosquitto", ["-c", Path.Combine(Dir, "mosquitto.conf")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}: {ReadLog()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"mosquitto did not listen on {Port}: {ReadLog()}");
    }

    /// <summary>Stops the broker with SIGTERM (it saves its persistence) or SIGKILL (it does not).</summary>
    public async Task StopAsync(bool kill)
    {
        if (_process is not { HasExited: false } p)
        {
            return;
        }

        if (SysKill(p.Id, kill ? 9 : 15) != 0)
        {
            throw new InvalidOperationException($"kill({p.Id}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await p.WaitForExitAsync(cts.Token);
        p.Dispose();
        _process = null;
    }

    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException)
        {
            return "(no broker log)";
        }
    }

    /// <summary>A client certificate (CN = id) signed by this broker's CA, as PEM files; returns (cert, key).</summary>
    public (string CertFile, string KeyFile) MakeClientCertificate(string id)
    {
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(File.ReadAllText(Path.Combine(Dir, "certs", "ca.key")));
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(CaFile)).CopyWithPrivateKey(caKey);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O=Kiosk, CN={id}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        // Children must lie inside the CA validity (CA: -1 day .. +2 days, see MakeServerCertificates).
        using var cert = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        var certFile = Path.Combine(Dir, "certs", id + ".crt");
        var keyFile = Path.Combine(Dir, "certs", id + ".key");
        File.WriteAllText(certFile, cert.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certFile, keyFile);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(kill: true);
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; not worth failing a test over.
        }
    }

    private async Task PrepareAsync(IEnumerable<(string User, string Password)> users)
    {
        var shipped = ShippedConfigDir();
        var conf = await File.ReadAllTextAsync(Path.Combine(shipped, "mosquitto.conf"));
        conf = Replace(conf, "persistence_location /var/lib/mosquitto/", $"persistence_location {Dir}/data/");
        conf = Replace(conf, "/etc/mosquitto/kiosk/", Dir + "/");
        conf = Replace(conf, "listener 1883 127.0.0.1", $"listener {Port} 127.0.0.1");
        conf = Replace(conf, "listener 8883\n", $"listener {TlsPort} 127.0.0.1\n");
        conf = Replace(conf, "log_dest stderr", $"log_dest file {LogFile}");
        if (Environment.UserName == "root")
        {
            conf += "\n# test: keep root, or mosquitto drops to a user that cannot write the temp directory\nuser root\n";
        }

        Directory.CreateDirectory(Path.Combine(Dir, "data"));
        Directory.CreateDirectory(Path.Combine(Dir, "certs"));
        await File.WriteAllTextAsync(Path.Combine(Dir, "mosquitto.conf"), conf);
        File.Copy(Path.Combine(shipped, "acl"), Path.Combine(Dir, "acl"));
        var first = true;
        foreach (var (user, password) in users)
        {
            string[] args = first ? ["-c", "-b", Path.Combine(Dir, "passwd"), user, password] : ["-b", Path.Combine(Dir, "passwd"), user, password];
            using var p = Process.Start(new ProcessStartInfo("mosquitto_passwd", args) { RedirectStandardError = true })!;
            await p.WaitForExitAsync();
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"mosquitto_passwd failed for {user}: {await p.StandardError.ReadToEndAsync()}");
            }

            first = false;
        }

        MakeServerCertificates();
    }

    private void MakeServerCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("O=Kiosk, CN=Kiosk Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("O=Kiosk, CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        var certs = Path.Combine(Dir, "certs");
        File.WriteAllText(Path.Combine(certs, "ca.crt"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(certs, "ca.key"), caKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(certs, "server.crt"), server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(certs, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
    }

    private static string Replace(string conf, string shipped, string replacement) =>
        conf.Contains(shipped, StringComparison.Ordinal)
            ? conf.Replace(shipped, replacement, StringComparison.Ordinal)
            : throw new InvalidOperationException($"the shipped mosquitto.conf no longer contains '{shipped.Trim()}'");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}
