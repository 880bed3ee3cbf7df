using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Kiosk.Device.Hosting;

namespace Kiosk.Device.Tests.Hosting;

public sealed class HostingTests
{
    [Fact]
    public void Every_invalid_field_is_reported_by_its_name()
    {
        var options = new KioskOptions
        {
            OfficeId = "office/1",
            DeviceId = string.Empty,
            TimeZone = "Mars/Olympus",
            ResultSeconds = 0,
            Identification = IdentificationMode.CardThenFinger,
        };
        options.Devices.Fingerprint = "none";
        options.Devices.CardReader = "usb";
        options.Log.Level = "Chatty";
        var errors = KioskOptionsValidator.Validate(options, simulate: false);
        foreach (var field in new[] { "OfficeId:", "DeviceId:", "TimeZone:", "ResultSeconds:", "Devices:Fingerprint:", "Devices:UsbReaderDevice:", "Log:Level:" })
        {
            Assert.Contains(errors, e => e.StartsWith(field, StringComparison.Ordinal));
        }

        Assert.Empty(KioskOptionsValidator.Validate(new KioskOptions { OfficeId = "office-1", DeviceId = "kiosk-1" }, simulate: false));
    }

    [Fact]
    public async Task A_bad_configuration_stops_the_program_with_EX_CONFIG_naming_file_and_environment_fields()
    {
        var dir = Directory.CreateTempSubdirectory("kiosk-host-");
        try
        {
            var config = KioskProcess.WriteConfig(dir.FullName, new() { ["DeviceId"] = string.Empty });
            var info = KioskProcess.Info("run", "--simulate", "--config", config);
            info.Environment["KIOSK_TIMEZONE"] = "Mars/Olympus";
            using var process = Process.Start(info)!;
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(KioskHost.ConfigError, process.ExitCode);
            Assert.Contains("DeviceId: required", stderr, StringComparison.Ordinal);
            Assert.Contains("TimeZone: 'Mars/Olympus'", stderr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Under_systemd_the_kiosk_says_READY_then_STOPPING_on_SIGTERM_and_exits_cleanly()
    {
        var dir = Directory.CreateTempSubdirectory("kiosk-host-");
        var name = "kiosk-test-" + Guid.NewGuid().ToString("N");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
        try
        {
            var config = KioskProcess.WriteConfig(dir.FullName);
            var info = KioskProcess.Info("run", "--simulate", "--config", config);
            info.Environment["NOTIFY_SOCKET"] = "@" + name;
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.StartsWith("READY=1", await ReceiveAsync(socket), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir.FullName, "data", "journal.db")));

            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            Assert.Equal("STOPPING=1", await ReceiveAsync(socket));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, await stderr);
            Assert.Contains("[display] ", await stdout, StringComparison.Ordinal);
            Assert.Contains("stopped cleanly", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_notifier_writes_to_a_socket_path_and_does_nothing_without_NOTIFY_SOCKET()
    {
        var path = Path.Combine(Path.GetTempPath(), "kiosk-notify-" + Guid.NewGuid().ToString("N")[..8]);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            using var notifier = new SystemdNotifier(path);
            Assert.True(notifier.Notify("WATCHDOG=1"));
            var buffer = new byte[256];
            socket.ReceiveTimeout = 5000;
            var n = socket.Receive(buffer);
            Assert.Equal("WATCHDOG=1", Encoding.UTF8.GetString(buffer, 0, n));
            using var none = new SystemdNotifier(null);
            Assert.False(none.Enabled);
            Assert.False(none.Notify("READY=1"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
