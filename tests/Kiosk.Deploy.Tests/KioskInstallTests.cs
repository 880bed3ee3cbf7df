using System.Text.Json;
using Kiosk.Deploy.Tests.Support;

namespace Kiosk.Deploy.Tests;

/// <summary>deploy-rpi/install in --root DIR --dry-run mode: the tree it lays out and the changes it prints
/// (issue 7, "Tested here without a Pi").</summary>
public sealed class KioskInstallTests : IDisposable
{
    private readonly TempRoot temp = new();
    private readonly string root;

    public KioskInstallTests()
    {
        root = temp.Sub("root");
    }

    public void Dispose() => temp.Dispose();

    private string R(string path) => temp.At("root/" + path.TrimStart('/'));

    private Task<ShellResult> InstallAsync(string payload, params string[] extra) =>
        Shell.BashAsync(Shell.Script("install"), ["--root", root, "--dry-run", "--payload", payload, .. extra]);

    private Task<ShellResult> FirstInstallAsync(string version = "1.0.0") =>
        InstallAsync(temp.MakeKioskPayload(version),
            "--device-id", "kiosk-0001", "--office", "office-01", "--broker", "mqtt.example.cn:8883");

    [Fact]
    public async Task A_dry_run_lays_out_program_configuration_journal_folder_unit_and_udev_rules_under_the_root()
    {
        var result = await FirstInstallAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(R("/opt/kiosk/lib/kiosk.dll")), result.ToString());
        Assert.True(File.Exists(R("/opt/kiosk/lib/runtimes/linux-arm64/native/libe_sqlite3.so")));
        Assert.Equal("1.0.0", TempRoot.Read(R("/opt/kiosk/VERSION")).Trim());
        Assert.True(File.Exists(R("/opt/kiosk/deploy/uninstall")), "the uninstaller travels with the program");
        Assert.Equal("/opt/kiosk/bin/kiosk", new FileInfo(R("/usr/local/bin/kiosk")).LinkTarget);
        Assert.Equal("750", TempRoot.Octal(TempRoot.ModeOf(R("/etc/kiosk"))));
        Assert.Equal("640", TempRoot.Octal(TempRoot.ModeOf(R("/etc/kiosk/kiosk.json"))));
        Assert.Equal("750", TempRoot.Octal(TempRoot.ModeOf(R("/var/lib/kiosk"))));
        Assert.Equal("644", TempRoot.Octal(TempRoot.ModeOf(R("/etc/systemd/system/kiosk.service"))));
        Assert.Equal("644", TempRoot.Octal(TempRoot.ModeOf(R("/etc/udev/rules.d/99-kiosk.rules"))));
        Assert.Equal("755", TempRoot.Octal(TempRoot.ModeOf(R("/opt/kiosk/bin/kiosk"))));
    }

    [Fact]
    public async Task A_dry_run_prints_each_system_change_and_makes_none_of_them()
    {
        var userBefore = await Shell.RunAsync("getent", ["passwd", "kiosk"]);
        var unitBefore = File.Exists("/etc/systemd/system/kiosk.service");

        var result = await FirstInstallAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        var wouldRun = result.Lines.Where(l => l.StartsWith("would run: ", StringComparison.Ordinal))
            .Select(l => l["would run: ".Length..]).ToList();
        Assert.Contains(wouldRun, l => l.Contains("apt-get install", StringComparison.Ordinal)
            && l.Contains("libmosquitto1", StringComparison.Ordinal) && l.EndsWith("unifont", StringComparison.Ordinal));
        Assert.Contains("useradd --system --user-group --home-dir /var/lib/kiosk --no-create-home --shell /usr/sbin/nologin kiosk", wouldRun);
        Assert.Contains("usermod --append --groups dialout,gpio,i2c,input kiosk", wouldRun);
        Assert.Contains("raspi-config nonint do_i2c 0", wouldRun);
        Assert.Contains("raspi-config nonint do_serial_hw 0", wouldRun);
        Assert.Contains("raspi-config nonint do_serial_cons 1", wouldRun);
        Assert.Contains("chown kiosk:kiosk /var/lib/kiosk", wouldRun);
        Assert.Contains("udevadm control --reload-rules", wouldRun);
        Assert.Contains("systemctl daemon-reload", wouldRun);
        Assert.Contains("systemctl enable kiosk.service", wouldRun);
        Assert.DoesNotContain(result.Lines, l => l.StartsWith("+ ", StringComparison.Ordinal));

        // Nothing happened to this machine: no user, no unit outside the root.
        Assert.Equal(userBefore.ExitCode, (await Shell.RunAsync("getent", ["passwd", "kiosk"])).ExitCode);
        Assert.Equal(unitBefore, File.Exists("/etc/systemd/system/kiosk.service"));
    }

    [Fact]
    public async Task The_first_install_writes_a_configuration_with_the_given_ids_and_the_stable_reader_names()
    {
        Assert.Equal(0, (await FirstInstallAsync()).ExitCode);

        using var json = JsonDocument.Parse(TempRoot.Read(R("/etc/kiosk/kiosk.json")));
        var c = json.RootElement;
        Assert.Equal("kiosk-0001", c.GetProperty("DeviceId").GetString());
        Assert.Equal("office-01", c.GetProperty("OfficeId").GetString());
        Assert.Equal("/var/lib/kiosk", c.GetProperty("DataDirectory").GetString());
        Assert.Equal("mqtt.example.cn", c.GetProperty("Mqtt").GetProperty("Host").GetString());
        Assert.Equal(8883, c.GetProperty("Mqtt").GetProperty("Port").GetInt32());
        Assert.Equal("/dev/kiosk-fingerprint", c.GetProperty("Devices").GetProperty("FingerprintPort").GetString());
        Assert.Equal("/dev/kiosk-card", c.GetProperty("Devices").GetProperty("CardPort").GetString());
        // The wiring in README.md: buzzer GPIO18, green LED GPIO23, red LED GPIO24, OLED at 0x3C.
        Assert.Equal(18, c.GetProperty("Devices").GetProperty("BuzzerLine").GetInt32());
        Assert.Equal(23, c.GetProperty("Devices").GetProperty("GreenLedLine").GetInt32());
        Assert.Equal(24, c.GetProperty("Devices").GetProperty("RedLedLine").GetInt32());
        Assert.Equal(0x3C, c.GetProperty("Devices").GetProperty("DisplayAddress").GetInt32());
    }

    [Fact]
    public async Task Without_ids_the_configuration_is_marked_for_editing_and_the_kiosk_is_not_started()
    {
        var result = await InstallAsync(temp.MakeKioskPayload("1.0.0"));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(TempRoot.Read(R("/etc/kiosk/kiosk.json")));
        Assert.Equal(string.Empty, json.RootElement.GetProperty("DeviceId").GetString());
        Assert.Equal(string.Empty, json.RootElement.GetProperty("Mqtt").GetProperty("Host").GetString());
        Assert.Contains(result.Lines, l => l.StartsWith("note: edit /etc/kiosk/kiosk.json", StringComparison.Ordinal));
        Assert.DoesNotContain("would run: systemctl restart kiosk.service", result.Lines);
    }

    [Fact]
    public async Task The_wrapper_runs_the_dll_with_the_dotnet_that_has_runtime_10()
    {
        var dotnet = (await Shell.RunAsync("/bin/bash", ["-c", ". \"$0\"; find_dotnet", Shell.Script("lib.sh")])).Stdout.Trim();
        Assert.True(File.Exists(dotnet), $"find_dotnet gave '{dotnet}'");
        Assert.Equal(0, (await FirstInstallAsync()).ExitCode);

        var wrapper = TempRoot.Read(R("/opt/kiosk/bin/kiosk"));
        Assert.StartsWith("#!/bin/sh\n", wrapper, StringComparison.Ordinal);
        Assert.Contains($"exec {dotnet} /opt/kiosk/lib/kiosk.dll \"$@\"", wrapper, StringComparison.Ordinal);
        var unit = new UnitFile(TempRoot.Read(R("/etc/systemd/system/kiosk.service")));
        Assert.Equal($"{dotnet} /opt/kiosk/lib/kiosk.dll run", unit.Get("Service", "ExecStart"));
    }

    [Fact]
    public async Task Upgrade_keeps_the_configuration_and_the_journal_and_keeps_the_previous_program_for_rollback()
    {
        Assert.Equal(0, (await FirstInstallAsync("1.0.0")).ExitCode);
        const string edited = "{ \"OfficeId\": \"office-01\", \"DeviceId\": \"kiosk-0001\", \"edited\": true }\n";
        File.WriteAllText(R("/etc/kiosk/kiosk.json"), edited);
        var journal = new byte[] { 0x53, 0x51, 0x4C, 0x69, 0x74, 0x65, 1, 2, 3 };
        File.WriteAllBytes(R("/var/lib/kiosk/journal.db"), journal);
        File.WriteAllBytes(R("/var/lib/kiosk/journal.db-wal"), [9, 9, 9]);

        var result = await InstallAsync(temp.MakeKioskPayload("1.1.0"), "--device-id", "other");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("upgrade: 1.0.0 -> 1.1.0 (configuration and journal are kept)", result.Lines);
        Assert.Equal(edited, TempRoot.Read(R("/etc/kiosk/kiosk.json")));
        Assert.Contains("other", TempRoot.Read(R("/etc/kiosk/kiosk.json.dist")), StringComparison.Ordinal);
        Assert.Equal(journal, File.ReadAllBytes(R("/var/lib/kiosk/journal.db")));
        Assert.Equal([9, 9, 9], File.ReadAllBytes(R("/var/lib/kiosk/journal.db-wal")));
        Assert.Equal(journal, File.ReadAllBytes(R("/var/lib/kiosk/pre-upgrade/journal.db")));
        Assert.Equal("1.1.0", TempRoot.Read(R("/opt/kiosk/VERSION")).Trim());
        Assert.Equal("1.0.0", TempRoot.Read(R("/opt/kiosk.prev/VERSION")).Trim());
        var wouldRun = result.Lines.ToList();
        var stop = wouldRun.IndexOf("would run: systemctl stop kiosk.service");
        var restart = wouldRun.IndexOf("would run: systemctl restart kiosk.service");
        var tree = wouldRun.IndexOf("tree: /opt/kiosk");
        Assert.True(stop >= 0 && stop < tree && tree < restart, "the kiosk is stopped before its files change, restarted after");
    }

    [Fact]
    public async Task Uninstall_without_purge_removes_the_program_but_keeps_journal_and_configuration()
    {
        Assert.Equal(0, (await FirstInstallAsync()).ExitCode);
        File.WriteAllText(R("/var/lib/kiosk/journal.db"), "punches");

        var result = await Shell.BashAsync(R("/opt/kiosk/deploy/uninstall"), "--root", root, "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(Directory.Exists(R("/opt/kiosk")));
        Assert.False(File.Exists(R("/etc/systemd/system/kiosk.service")));
        Assert.False(File.Exists(R("/etc/udev/rules.d/99-kiosk.rules")));
        Assert.Null(new FileInfo(R("/usr/local/bin/kiosk")).LinkTarget);
        Assert.Equal("punches", TempRoot.Read(R("/var/lib/kiosk/journal.db")));
        Assert.True(File.Exists(R("/etc/kiosk/kiosk.json")));
        Assert.Contains("would run: systemctl disable --now kiosk.service", result.Lines);
        Assert.DoesNotContain(result.Lines, l => l.Contains("userdel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uninstall_with_purge_removes_the_journal_the_configuration_and_the_user()
    {
        Assert.Equal(0, (await FirstInstallAsync()).ExitCode);
        File.WriteAllText(R("/var/lib/kiosk/journal.db"), "punches");

        var result = await Shell.BashAsync(Shell.Script("uninstall"), "--purge", "--root", root, "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(Directory.Exists(R("/var/lib/kiosk")));
        Assert.False(Directory.Exists(R("/etc/kiosk")));
        Assert.False(Directory.Exists(R("/opt/kiosk")));
        Assert.Contains("would run: userdel kiosk", result.Lines);
    }

    [Fact]
    public async Task Root_without_dry_run_is_refused_so_a_test_can_never_change_the_machine()
    {
        var result = await Shell.BashAsync(Shell.Script("install"), "--root", root, "--payload", temp.MakeKioskPayload("1.0.0"));

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("--root is only allowed together with --dry-run", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public async Task A_build_without_the_arm64_sqlite_library_is_refused_before_any_change()
    {
        var result = await InstallAsync(temp.MakeKioskPayload("1.0.0", withArm64Sqlite: false));

        Assert.Equal(66, result.ExitCode);
        Assert.Contains("runtimes/linux-arm64/native/libe_sqlite3.so", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public async Task A_missing_dotnet_runtime_stops_the_install_with_the_exact_commands_to_fix_it()
    {
        var env = new Dictionary<string, string> { ["DOTNET"] = temp.At("no-such-dotnet") };
        var result = await Shell.RunAsync("/bin/bash",
            [Shell.Script("install"), "--root", root, "--dry-run", "--payload", temp.MakeKioskPayload("1.0.0")], env);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("the .NET 10 runtime (Microsoft.NETCore.App 10.x) is not installed", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("dotnet-install.sh --channel 10.0 --runtime dotnet --install-dir /usr/share/dotnet", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(R("/opt/kiosk")));
    }
}
