using System.Diagnostics;
using System.Text.Json;
using Kiosk.Testing.Mosquitto;

namespace Kiosk.Device.Tests.Hosting;

public sealed class MqttSimulationTests
{
    [Fact]
    public async Task The_simulated_kiosk_publishes_its_punches_to_a_real_broker_as_signed_batches()
    {
        var dir = Directory.CreateTempSubdirectory("kiosk-mqtt-");
        try
        {
            await using var broker = await MosquittoBroker.StartAsync(dir.FullName);
            var port = broker.Port;
            using var sub = await broker.SubscribeAsync("attendance/v1/office-1/kiosk-1/events", count: 2, waitSeconds: 60);
            var published = sub.StandardOutput.ReadToEndAsync();

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
            dir.Delete(recursive: true);
        }
    }
}
