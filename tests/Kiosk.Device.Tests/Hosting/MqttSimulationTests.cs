using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Kiosk.Device.Tests.Hosting;

public sealed class MqttSimulationTests
{
    [Fact]
    public async Task The_simulated_kiosk_publishes_its_punches_to_a_real_broker_as_signed_batches()
    {
        var dir = Directory.CreateTempSubdirectory("kiosk-mqtt-");
        var port = FreePort();
        var conf = Path.Combine(dir.FullName, "mosquitto.conf");
        await File.WriteAllTextAsync(conf, $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1\nallow_anonymous true\npersistence false\n");
        using var broker = Process.Start(new ProcessStartInfo("mosquitto", ["-c", conf]) { UseShellExecute = false, RedirectStandardError = true })!;
        try
        {
            await WaitForPortAsync(port);
            using var sub = Process.Start(new ProcessStartInfo("mosquitto_sub",
                ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "attendance/v1/office-1/kiosk-1/events", "-C", "2", "-W", "60"])
            { UseShellExecute = false, RedirectStandardOutput = true })!;
            var published = sub.StandardOutput.ReadToEndAsync();
            await Task.Delay(300);

            var config = KioskProcess.WriteConfig(dir.FullName, new() { ["Mqtt"] = new { Host = "127.0.0.1", Port = port } });
            var script = Path.Combine(dir.FullName, "morning.txt");
            await File.WriteAllTextAsync(script, "0001623026\nf 1\nwait 1500\n0000000042\nwait 1500\n");
            using var kiosk = Process.Start(KioskProcess.Info("run", "--simulate", "--config", config, "--script", script, "--pace-ms", "200"))!;
            var stderr = kiosk.StandardError.ReadToEndAsync();
            _ = kiosk.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await kiosk.WaitForExitAsync(timeout.Token);
            await sub.WaitForExitAsync(timeout.Token);
            Assert.True(kiosk.ExitCode == 0, await stderr);

            var kinds = (await published).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonDocument.Parse(line).RootElement)
                .SelectMany(batch =>
                {
                    Assert.False(string.IsNullOrEmpty(batch.GetProperty("signature").GetString()));
                    return batch.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("sequence").GetInt64(), e.GetProperty("event").GetProperty("kind").GetString()));
                })
                .ToList();
            Assert.Equal([(1L, "punch"), (2L, "unknown_card")], kinds);
            Assert.Contains("Connected to 127.0.0.1", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            broker.Kill();
            await broker.WaitForExitAsync();
            dir.Delete(recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"mosquitto did not listen on {port}");
    }
}
