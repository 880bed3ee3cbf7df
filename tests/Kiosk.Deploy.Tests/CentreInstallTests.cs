using Kiosk.Deploy.Tests.Support;

namespace Kiosk.Deploy.Tests;

/// <summary>deploy-rpi/centre/install-centre in --root DIR --dry-run mode, fed by a real make-certs CA.</summary>
public sealed class CentreInstallTests : IDisposable
{
    private readonly TempRoot temp = new();
    private readonly string root;
    private readonly string pki;

    public CentreInstallTests()
    {
        root = temp.Sub("root");
        pki = Path.Combine(temp.Path, "pki");
    }

    public void Dispose() => temp.Dispose();

    private string R(string path) => temp.At("root/" + path.TrimStart('/'));

    private async Task MakePkiAsync()
    {
        var makeCerts = Shell.Script("centre/make-certs");
        foreach (var args in new[]
                 {
                     new[] { "ca" }, ["server", "--host", "mqtt.example.cn", "--ip", "127.0.0.1"], ["device", "--id", "centre-1"],
                     ["device", "--id", "kiosk-0001"],
                 })
        {
            var r = await Shell.BashAsync(makeCerts, ["--dir", pki, .. args]);
            Assert.True(r.ExitCode == 0, r.ToString());
        }
    }

    /// <summary>The service's EnvironmentFile as systemd reads it: KEY=value lines, # comments.</summary>
    private Dictionary<string, string> ReadEnv(string path = "/etc/kiosk-central/central.env") =>
        File.ReadAllLines(R(path)).Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private Task<ShellResult> InstallCentreAsync(string version, params string[] extra) =>
        Shell.BashAsync(Shell.Script("centre/install-centre"),
            ["--root", root, "--dry-run", "--payload", temp.MakeCentralPayload(version), .. extra]);

    [Fact]
    public async Task A_dry_run_lays_out_the_centre_the_broker_configuration_and_the_certificates()
    {
        await MakePkiAsync();

        var result = await InstallCentreAsync("1.0.0", "--pki", pki);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(R("/opt/kiosk-central/lib/kiosk-central.dll")));
        Assert.Equal("/opt/kiosk-central/bin/kiosk-central", new FileInfo(R("/usr/local/bin/kiosk-central")).LinkTarget);
        Assert.Equal("600", TempRoot.Octal(TempRoot.ModeOf(R("/etc/kiosk-central/central.env"))));
        Assert.Equal("750", TempRoot.Octal(TempRoot.ModeOf(R("/var/lib/kiosk-central"))));
        // The broker configuration is the one shipped with the sync work, byte for byte.
        Assert.Equal(File.ReadAllBytes(Shell.Script("centre/mosquitto/mosquitto.conf")),
            File.ReadAllBytes(R("/etc/mosquitto/kiosk/mosquitto.conf")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(pki, "server.key")), File.ReadAllBytes(R("/etc/mosquitto/kiosk/certs/server.key")));
        Assert.Equal("640", TempRoot.Octal(TempRoot.ModeOf(R("/etc/mosquitto/kiosk/certs/server.key"))));
        Assert.Equal(File.ReadAllText(Path.Combine(pki, "passwd")), File.ReadAllText(R("/etc/mosquitto/kiosk/passwd")));

        // A local broker is reached on its loopback password listener, as the ACL's "user centre-1".
        var env = ReadEnv();
        Assert.Equal(("127.0.0.1", "1883", "centre-1"), (env["CENTRAL_BROKER"], env["CENTRAL_PORT"], env["CENTRAL_CLIENT_ID"]));
        Assert.Equal("--username centre-1", env["CENTRAL_AUTH_ARGS"]);
        Assert.Equal(File.ReadAllText(Path.Combine(pki, "devices/centre-1/password")).Trim(), env["KIOSK_CENTRAL_MQTT_PASSWORD"]);
        Assert.Equal("/var/lib/kiosk-central/central.db", env["KIOSK_CENTRAL_DB"]);
        Assert.Contains("user centre-1", File.ReadAllLines(R("/etc/mosquitto/kiosk/acl")));

        var dropIn = new UnitFile(File.ReadAllText(R("/etc/systemd/system/mosquitto.service.d/kiosk.conf")));
        Assert.Equal(["", "/usr/sbin/mosquitto -c /etc/mosquitto/kiosk/mosquitto.conf"], dropIn.All("Service", "ExecStart"));
        var unit = new UnitFile(File.ReadAllText(R("/etc/systemd/system/kiosk-central.service")));
        Assert.EndsWith("/opt/kiosk-central/lib/kiosk-central.dll serve --client-id ${CENTRAL_CLIENT_ID} --broker ${CENTRAL_BROKER} --port ${CENTRAL_PORT} $CENTRAL_AUTH_ARGS",
            unit.Get("Service", "ExecStart"), StringComparison.Ordinal);
        Assert.Equal("/etc/kiosk-central/central.env", unit.Get("Service", "EnvironmentFile"));
        Assert.Equal("/var/lib/kiosk-central", unit.Get("Service", "ReadWritePaths"));
        Assert.Equal("strict", unit.Get("Service", "ProtectSystem"));
    }

    [Fact]
    public async Task A_dry_run_prints_packages_user_and_services_and_makes_none_of_them()
    {
        await MakePkiAsync();
        var userBefore = (await Shell.RunAsync("getent", ["passwd", "kiosk-central"])).ExitCode;

        var result = await InstallCentreAsync("1.0.0", "--pki", pki);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("would run: env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends mosquitto mosquitto-clients libmosquitto1", result.Lines);
        Assert.Contains("would run: useradd --system --user-group --home-dir /var/lib/kiosk-central --no-create-home --shell /usr/sbin/nologin kiosk-central", result.Lines);
        Assert.Contains("would run: chown root:mosquitto /etc/mosquitto/kiosk/certs/server.key", result.Lines);
        Assert.Contains("would run: systemctl enable mosquitto.service", result.Lines);
        Assert.Contains("would run: systemctl restart mosquitto.service", result.Lines);
        Assert.Contains("would run: systemctl enable kiosk-central.service", result.Lines);
        Assert.Equal(userBefore, (await Shell.RunAsync("getent", ["passwd", "kiosk-central"])).ExitCode);
    }

    [Fact]
    public async Task The_centre_unit_passes_systemd_analyze_verify_without_a_single_warning()
    {
        await MakePkiAsync();
        Assert.Equal(0, (await InstallCentreAsync("1.0.0", "--pki", pki)).ExitCode);

        var result = await Shell.RunAsync("systemd-analyze", ["verify", R("/etc/systemd/system/kiosk-central.service")]);

        Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0 && result.Stdout.Length == 0, result.ToString());
    }

    [Fact]
    public async Task The_centre_units_documentation_link_names_the_operators_guide_the_installer_lays_out()
    {
        await MakePkiAsync();
        Assert.Equal(0, (await InstallCentreAsync("1.0.0", "--pki", pki)).ExitCode);

        var link = new UnitFile(File.ReadAllText(R("/etc/systemd/system/kiosk-central.service"))).Get("Unit", "Documentation");

        Assert.Equal("file:///opt/kiosk-central/doc/README.md", link);
        Assert.Equal(File.ReadAllText(Path.Combine(Shell.RepoRoot, "README.md")), File.ReadAllText(R(link!["file://".Length..])));
    }

    [Fact]
    public async Task Upgrade_keeps_the_centre_configuration_and_store()
    {
        await MakePkiAsync();
        Assert.Equal(0, (await InstallCentreAsync("1.0.0", "--pki", pki)).ExitCode);
        File.WriteAllText(R("/etc/kiosk-central/central.env"), "CENTRAL_BROKER=edited\n");
        File.WriteAllText(R("/var/lib/kiosk-central/central.db"), "events");

        var result = await InstallCentreAsync("1.1.0", "--pki", pki);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("CENTRAL_BROKER=edited\n", File.ReadAllText(R("/etc/kiosk-central/central.env")));
        Assert.Equal("127.0.0.1", ReadEnv("/etc/kiosk-central/central.env.dist")["CENTRAL_BROKER"]);
        Assert.Equal("events", File.ReadAllText(R("/var/lib/kiosk-central/central.db")));
        Assert.Equal("1.1.0", File.ReadAllText(R("/opt/kiosk-central/VERSION")).Trim());
        Assert.Contains("would run: systemctl stop kiosk-central.service", result.Lines);
    }

    [Fact]
    public async Task Without_a_CA_folder_the_broker_install_is_refused_before_any_change()
    {
        var result = await InstallCentreAsync("1.0.0");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("--pki DIR is needed", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public async Task With_an_external_broker_no_mosquitto_is_installed_here()
    {
        await MakePkiAsync();

        var result = await InstallCentreAsync("1.0.0", "--no-broker", "--broker", "emqx.example.cn:8883",
            "--client-certs", Path.Combine(pki, "devices/centre-1"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(Directory.Exists(R("/etc/mosquitto")));
        Assert.DoesNotContain(result.Lines, l => l.Contains("mosquitto.service", StringComparison.Ordinal));
        var env = ReadEnv();
        Assert.Equal(("emqx.example.cn", "8883"), (env["CENTRAL_BROKER"], env["CENTRAL_PORT"]));
        Assert.Equal("--ca /etc/kiosk-central/tls/ca.crt --cert /etc/kiosk-central/tls/device.crt --key /etc/kiosk-central/tls/device.key",
            env["CENTRAL_AUTH_ARGS"]);
        Assert.Equal(string.Empty, env["KIOSK_CENTRAL_MQTT_PASSWORD"]);
        Assert.Equal(File.ReadAllBytes(Path.Combine(pki, "devices/centre-1/device.crt")), File.ReadAllBytes(R("/etc/kiosk-central/tls/device.crt")));
    }

    [Fact]
    public async Task The_installed_broker_admits_the_centre_by_password_and_a_kiosk_by_certificate_only()
    {
        await MakePkiAsync();
        Assert.Equal(0, (await InstallCentreAsync("1.0.0", "--pki", pki)).ExitCode);

        // The installed configuration as it is, with its absolute paths moved under the test root and its
        // two listeners moved to free loopback ports.
        var loopback = TlsBroker.FreePort();
        var tls = TlsBroker.FreePort();
        var conf = File.ReadAllText(R("/etc/mosquitto/kiosk/mosquitto.conf"))
            .Replace("/etc/mosquitto/kiosk/", R("/etc/mosquitto/kiosk/"), StringComparison.Ordinal)
            .Replace("persistence_location /var/lib/mosquitto/", "persistence_location " + temp.Sub("mosq-data") + "/", StringComparison.Ordinal)
            .Replace("listener 1883 127.0.0.1", $"listener {loopback} 127.0.0.1", StringComparison.Ordinal)
            .Replace("listener 8883\n", $"listener {tls} 127.0.0.1\n", StringComparison.Ordinal);
        Assert.Contains($"listener {tls} 127.0.0.1", conf, StringComparison.Ordinal);
        var confPath = Path.Combine(temp.Path, "installed-mosquitto.conf");
        File.WriteAllText(confPath, conf + "user root\n");
        var password = ReadEnv()["KIOSK_CENTRAL_MQTT_PASSWORD"];
        await using var broker = await TlsBroker.StartWithConfigAsync(confPath, tls, CancellationToken.None);

        var centre = await Shell.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{loopback}", "-u", "centre-1", "-P", password,
            "-t", "attendance/v1/time", "-m", "{}", "-q", "1"]);
        var wrongPassword = await Shell.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{loopback}", "-u", "centre-1", "-P", "guess",
            "-t", "attendance/v1/time", "-m", "{}", "-q", "1"]);
        var kioskDir = Path.Combine(pki, "devices/kiosk-0001");
        var kiosk = await Shell.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{tls}", "--cafile", Path.Combine(kioskDir, "ca.crt"),
            "--cert", Path.Combine(kioskDir, "device.crt"), "--key", Path.Combine(kioskDir, "device.key"),
            "-t", "attendance/v1/office-01/kiosk-0001/events", "-m", "{}", "-q", "1"]);
        var noCertificate = await Shell.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", $"{tls}", "--cafile", Path.Combine(kioskDir, "ca.crt"),
            "-t", "attendance/v1/office-01/kiosk-0001/events", "-m", "{}", "-q", "1"]);

        Assert.True(centre.ExitCode == 0, centre + "\n--- broker\n" + broker.Log);
        Assert.NotEqual(0, wrongPassword.ExitCode);
        Assert.True(kiosk.ExitCode == 0, kiosk + "\n--- broker\n" + broker.Log);
        Assert.Contains("u'kiosk-0001'", broker.Log, StringComparison.Ordinal);
        Assert.NotEqual(0, noCertificate.ExitCode);
    }
}
