using Kiosk.Deploy.Tests.Support;

namespace Kiosk.Deploy.Tests;

/// <summary>The rendered kiosk.service and 99-kiosk.rules: what systemd and udev will be given on the Pi.</summary>
public sealed class UnitAndRulesTests : IDisposable
{
    private readonly TempRoot temp = new();
    private readonly string root;

    public UnitAndRulesTests()
    {
        root = temp.Sub("root");
    }

    public void Dispose() => temp.Dispose();

    private string R(string path) => temp.At("root/" + path.TrimStart('/'));

    private async Task InstallAsync(params string[] extra)
    {
        var result = await Shell.BashAsync(Shell.Script("install"),
            ["--root", root, "--dry-run", "--payload", temp.MakeKioskPayload("1.0.0"), "--device-id", "k1", "--office", "o1", .. extra]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private List<string> Rules() =>
        TempRoot.Read(R("/etc/udev/rules.d/99-kiosk.rules")).Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#').ToList();

    [Fact]
    public async Task The_unit_is_notify_with_a_watchdog_restarts_always_and_carries_the_required_hardening()
    {
        await InstallAsync();
        var unit = new UnitFile(TempRoot.Read(R("/etc/systemd/system/kiosk.service")));

        Assert.Equal("notify", unit.Get("Service", "Type"));
        Assert.Equal("30s", unit.Get("Service", "WatchdogSec"));
        Assert.Equal("always", unit.Get("Service", "Restart"));
        Assert.Equal("0", unit.Get("Unit", "StartLimitIntervalSec"));
        Assert.Equal("kiosk", unit.Get("Service", "User"));
        Assert.Equal("yes", unit.Get("Service", "NoNewPrivileges"));
        Assert.Equal("strict", unit.Get("Service", "ProtectSystem"));
        Assert.Equal("/var/lib/kiosk", unit.Get("Service", "ReadWritePaths"));
        Assert.Equal("yes", unit.Get("Service", "PrivateTmp"));
        Assert.Equal(["dialout", "gpio", "i2c", "input"], unit.Get("Service", "SupplementaryGroups")!.Split(' '));
        // These two would hide the readers, GPIO and I2C from the kiosk (see the comment in the unit).
        Assert.Null(unit.Get("Service", "PrivateDevices"));
        Assert.Null(unit.Get("Service", "ProtectClock"));
        Assert.Null(unit.Get("Service", "MemoryDenyWriteExecute"));
        Assert.Equal("multi-user.target", unit.Get("Install", "WantedBy"));
    }

    [Fact]
    public async Task The_installed_unit_passes_systemd_analyze_verify_without_a_single_warning()
    {
        await InstallAsync();

        // verify needs ExecStart's binary to exist: the installer wrote the path of this machine's dotnet.
        var result = await Shell.RunAsync("systemd-analyze", ["verify", R("/etc/systemd/system/kiosk.service")]);

        Assert.True(result.ExitCode == 0 && result.Stderr.Length == 0 && result.Stdout.Length == 0, result.ToString());
    }

    [Fact]
    public async Task The_units_documentation_link_names_the_operators_guide_the_installer_lays_out()
    {
        await InstallAsync();

        var link = new UnitFile(TempRoot.Read(R("/etc/systemd/system/kiosk.service"))).Get("Unit", "Documentation");

        // Run from the checkout, the installer ships the repository's README.md, as build.sh puts it in doc/.
        Assert.Equal("file:///opt/kiosk/doc/README.md", link);
        Assert.Equal(File.ReadAllText(Path.Combine(Shell.RepoRoot, "README.md")), TempRoot.Read(R(link!["file://".Length..])));
    }

    [Fact]
    public async Task From_the_release_archive_the_installer_ships_the_archives_own_guide()
    {
        // The archive's layout (build.sh): the installer next to doc/README.md, no repository around it.
        var release = temp.Sub("kiosk-9.9.9");
        foreach (var file in Directory.EnumerateFiles(Shell.DeployDir, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(release, Path.GetRelativePath(Shell.DeployDir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        File.WriteAllText(Path.Combine(temp.Sub("kiosk-9.9.9/doc"), "README.md"), "the guide of release 9.9.9\n");

        var result = await Shell.BashAsync(Path.Combine(release, "install"),
            ["--root", root, "--dry-run", "--payload", temp.MakeKioskPayload("9.9.9"), "--device-id", "k1", "--office", "o1"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("the guide of release 9.9.9\n", TempRoot.Read(R("/opt/kiosk/doc/README.md")));
    }

    [Fact]
    public async Task The_unit_sandbox_scores_better_than_medium_exposure_in_systemd_analyze_security()
    {
        await InstallAsync();

        // systemd's own scale: below 5.0 is "OK"; the kiosk needs device access, so it cannot go to the bottom.
        var result = await Shell.RunAsync("systemd-analyze",
            ["security", "--offline=yes", "--threshold=50", "--no-pager", R("/etc/systemd/system/kiosk.service")]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Overall exposure level for kiosk.service", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"exposure level for kiosk\.service: [0-4]\.\d OK", result.Stdout);
    }

    [Fact]
    public async Task By_default_the_fingerprint_is_the_pi_uart_and_the_card_reader_a_ch340_usb_adapter()
    {
        await InstallAsync();

        Assert.Contains("SUBSYSTEM==\"tty\", SYMLINK==\"serial0\", SYMLINK+=\"kiosk-fingerprint\", GROUP=\"dialout\", MODE=\"0660\"", Rules());
        Assert.Contains("SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"1a86\", ATTRS{idProduct}==\"7523\", SYMLINK+=\"kiosk-card\", GROUP=\"dialout\", MODE=\"0660\"", Rules());
        Assert.Contains("SUBSYSTEM==\"gpio\", KERNEL==\"gpiochip*\", GROUP=\"gpio\", MODE=\"0660\"", Rules());
        Assert.Contains("SUBSYSTEM==\"i2c-dev\", KERNEL==\"i2c-[0-9]*\", GROUP=\"i2c\", MODE=\"0660\"", Rules());
    }

    [Fact]
    public async Task Readers_can_be_moved_to_other_adapters_by_usb_id_and_serial_number()
    {
        await InstallAsync("--fingerprint", "usb:10C4:EA60:A1B2", "--card", "uart");

        Assert.Contains("SUBSYSTEM==\"tty\", ATTRS{idVendor}==\"10c4\", ATTRS{idProduct}==\"ea60\", ATTRS{serial}==\"A1B2\", SYMLINK+=\"kiosk-fingerprint\", GROUP=\"dialout\", MODE=\"0660\"", Rules());
        Assert.Contains("SUBSYSTEM==\"tty\", SYMLINK==\"serial0\", SYMLINK+=\"kiosk-card\", GROUP=\"dialout\", MODE=\"0660\"", Rules());
        Assert.DoesNotContain(Rules(), l => l.Contains('@', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--card", "usb:1a86", "bad USB id")]
    [InlineData("--card", "usb:1a86:75zz", "bad USB id")]
    [InlineData("--card", "com3", "unknown reader location")]
    [InlineData("--fingerprint", "usb:1a86:7523", "two identical adapters need their serial numbers")]
    [InlineData("--card", "uart", "cannot both use the Pi UART")]
    [InlineData("--device-id", "k 1; rm -rf /", "letters, digits")]
    public async Task A_bad_option_is_refused_with_a_clear_error_and_nothing_is_laid_out(string option, string value, string message)
    {
        var result = await Shell.BashAsync(Shell.Script("install"),
            "--root", root, "--dry-run", "--payload", temp.MakeKioskPayload("1.0.0"), option, value);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }
}
