using System.Text.RegularExpressions;
using Kiosk.Deploy.Tests.Support;

namespace Kiosk.Deploy.Tests;

/// <summary>deploy-rpi/centre/make-certs with the real openssl and mosquitto_passwd, and the certificates
/// it makes presented to a real mosquitto TLS listener.</summary>
public sealed partial class MakeCertsTests : IDisposable
{
    private readonly TempRoot temp = new();
    private readonly string pki;

    public MakeCertsTests()
    {
        pki = Path.Combine(temp.Path, "pki");
    }

    public void Dispose() => temp.Dispose();

    private static Task<ShellResult> MakeCertsAsync(string dir, params string[] args) =>
        Shell.BashAsync(Shell.Script("centre/make-certs"), ["--dir", dir, .. args]);

    private async Task MakeAllAsync(string dir, params string[] deviceIds)
    {
        Assert.Equal(0, (await MakeCertsAsync(dir, "ca", "--name", "某街道 考勤 CA")).ExitCode);
        var server = await MakeCertsAsync(dir, "server", "--host", "localhost", "--ip", "127.0.0.1");
        Assert.True(server.ExitCode == 0, server.ToString());
        foreach (var id in deviceIds)
        {
            var device = await MakeCertsAsync(dir, "device", "--id", id, "--office", "office-01");
            Assert.True(device.ExitCode == 0, device.ToString());
        }
    }

    [Fact]
    public async Task A_device_certificate_verifies_against_the_CA_and_names_the_device_in_its_CN()
    {
        await MakeAllAsync(pki, "kiosk-0001");
        var crt = Path.Combine(pki, "devices/kiosk-0001/device.crt");

        var verify = await Shell.RunAsync("openssl",
            ["verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", Path.Combine(pki, "ca.crt"), crt]);
        var subject = await Shell.RunAsync("openssl", ["x509", "-in", crt, "-noout", "-subject", "-nameopt", "RFC2253"]);
        var text = await Shell.RunAsync("openssl", ["x509", "-in", crt, "-noout", "-text"]);

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal($"{crt}: OK", verify.Stdout.Trim());
        Assert.Equal("subject=CN=kiosk-0001,OU=office-01,O=Kiosk", subject.Stdout.Trim());
        Assert.Contains("TLS Web Client Authentication", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("ASN1 OID: prime256v1", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("CA:FALSE", text.Stdout, StringComparison.Ordinal);
        // The same check through the script, as the operator runs it.
        Assert.Equal(0, (await MakeCertsAsync(pki, "verify", "--id", "kiosk-0001")).ExitCode);
    }

    [Fact]
    public async Task A_certificate_from_another_CA_does_not_verify()
    {
        await MakeAllAsync(pki, "kiosk-0001");
        var stranger = Path.Combine(temp.Path, "stranger");
        await MakeAllAsync(stranger, "kiosk-0001");

        var verify = await Shell.RunAsync("openssl",
            ["verify", "-CAfile", Path.Combine(pki, "ca.crt"), Path.Combine(stranger, "devices/kiosk-0001/device.crt")]);

        Assert.NotEqual(0, verify.ExitCode);
        Assert.Contains("unable to get local issuer certificate", verify.Stdout + verify.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_device_folder_is_what_the_kiosk_installer_takes_and_keys_are_owner_only()
    {
        await MakeAllAsync(pki, "kiosk-0001");
        var dev = Path.Combine(pki, "devices/kiosk-0001");

        Assert.Equal(["ca.crt", "device.crt", "device.key", "password"],
            Directory.GetFiles(dev).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("600", TempRoot.Octal(TempRoot.ModeOf(Path.Combine(dev, "device.key"))));
        Assert.Equal("600", TempRoot.Octal(TempRoot.ModeOf(Path.Combine(dev, "password"))));
        Assert.Equal("600", TempRoot.Octal(TempRoot.ModeOf(Path.Combine(pki, "ca.key"))));
        Assert.Equal("600", TempRoot.Octal(TempRoot.ModeOf(Path.Combine(pki, "server.key"))));
        Assert.Equal(File.ReadAllText(Path.Combine(pki, "ca.crt")), File.ReadAllText(Path.Combine(dev, "ca.crt")));

        var root = temp.Sub("root");
        var install = await Shell.BashAsync(Shell.Script("install"), "--root", root, "--dry-run",
            "--payload", temp.MakeKioskPayload("1.0.0"), "--device-certs", dev);
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(dev, "device.key")), File.ReadAllBytes(temp.At("root/etc/kiosk/tls/device.key")));
        Assert.Equal("640", TempRoot.Octal(TempRoot.ModeOf(temp.At("root/etc/kiosk/tls/device.key"))));
        Assert.Contains("would run: chown root:kiosk /etc/kiosk/tls/device.key", install.Lines);
    }

    [Fact]
    public async Task The_passwd_file_has_one_mosquitto_line_per_device_and_a_reissue_replaces_it()
    {
        await MakeAllAsync(pki, "kiosk-0001", "kiosk-0002");
        var before = File.ReadAllLines(Path.Combine(pki, "passwd"));

        Assert.Equal(0, (await MakeCertsAsync(pki, "device", "--id", "kiosk-0001")).ExitCode);
        var after = File.ReadAllLines(Path.Combine(pki, "passwd"));

        Assert.Equal(2, before.Length);
        Assert.All(before, l => Assert.Matches(PasswdLine(), l));
        Assert.Equal(2, after.Length);
        Assert.Contains(before.Single(l => l.StartsWith("kiosk-0002:", StringComparison.Ordinal)), after);
        Assert.DoesNotContain(before.Single(l => l.StartsWith("kiosk-0001:", StringComparison.Ordinal)), after);
        Assert.Single(after, l => l.StartsWith("kiosk-0001:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_CA_over_an_existing_one_is_refused()
    {
        await MakeAllAsync(pki);
        var caBefore = File.ReadAllText(Path.Combine(pki, "ca.crt"));

        var again = await MakeCertsAsync(pki, "ca");

        Assert.Equal(73, again.ExitCode);
        Assert.Contains("would orphan every device certificate", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(caBefore, File.ReadAllText(Path.Combine(pki, "ca.crt")));
    }

    [Fact]
    public async Task A_dry_run_prints_the_openssl_commands_and_writes_nothing()
    {
        var result = await MakeCertsAsync(pki, "--dry-run", "device", "--id", "kiosk-0009");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Lines, l => l.StartsWith("would run: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.StartsWith("would run: openssl req -new", StringComparison.Ordinal) && l.Contains("/CN=kiosk-0009", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.StartsWith("would run: openssl x509 -req", StringComparison.Ordinal));
        Assert.False(Directory.Exists(pki));
    }

    [Fact]
    public async Task A_real_broker_accepts_a_device_with_its_certificate_and_refuses_a_stranger()
    {
        await MakeAllAsync(pki, "kiosk-0001");
        var stranger = Path.Combine(temp.Path, "stranger");
        await MakeAllAsync(stranger, "kiosk-0001");
        await using var broker = await TlsBroker.StartAsync(pki, temp.Path, CancellationToken.None);

        var ok = await PublishAsync(broker.Port, Path.Combine(pki, "devices/kiosk-0001"));
        var refused = await PublishAsync(broker.Port, Path.Combine(stranger, "devices/kiosk-0001"), caDir: pki);
        var noCert = await Shell.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{broker.Port}",
            "--cafile", Path.Combine(pki, "ca.crt"), "-t", "attendance/v1/test", "-m", "x", "-q", "1"]);

        Assert.True(ok.ExitCode == 0, ok + "\n--- broker\n" + broker.Log);
        Assert.Contains("u'kiosk-0001'", broker.Log, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.NotEqual(0, noCert.ExitCode);
    }

    private static Task<ShellResult> PublishAsync(int port, string deviceDir, string? caDir = null) =>
        Shell.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{port}",
            "--cafile", Path.Combine(caDir ?? deviceDir, "ca.crt"),
            "--cert", Path.Combine(deviceDir, "device.crt"), "--key", Path.Combine(deviceDir, "device.key"),
            "-t", "attendance/v1/test", "-m", "hello", "-q", "1"]);

    // mosquitto 2.x: user:$7$iterations$salt$hash (PBKDF2-SHA512).
    [GeneratedRegex(@"^kiosk-000[12]:\$7\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$")]
    private static partial Regex PasswdLine();
}
