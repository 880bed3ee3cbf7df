using System.Diagnostics;
using System.Text;
using Kiosk.Central.Cli;
using Kiosk.Sync.Contract;
using Kiosk.Testing.Mosquitto;

namespace Kiosk.Central.Tests;

public sealed class ServeTests
{
    [Fact]
    public async Task Serve_stores_a_signed_batch_from_the_broker_acknowledges_it_and_publishes_the_office_config()
    {
        using var centre = new Centre();
        await using var broker = await MosquittoBroker.StartAsync(centre.Dir.Path, maxQueuedMessages: 100_000);
        await centre.ImportRosterAsync("""
            worker_id,name,badge,office,role,role_from,role_to,employed_from,employed_to,finger_slots
            w1,张三,B-w1,hongqi,secretary,,,2018-03-01,,1

            """);
        await centre.RegisterAsync("hongqi", "hongqi-door");
        await centre.RunOkAsync("config", "publish", "--office", "hongqi");

        var dll = typeof(CentralCommands).Assembly.Location;
        using var serve = Process.Start(new ProcessStartInfo("dotnet", [dll, "serve", "--db", centre.Db, "--broker", "127.0.0.1",
            "--port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--client-id", "test-centre"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = new StringBuilder();
        serve.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        serve.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            // The retained config the centre re-sends on start, read by a client we did not write.
            var config = await broker.ToolAsync("mosquitto_sub", ["-t", Topics.Config("hongqi", "hongqi-door"), "-C", "1", "-W", "30"]);
            Assert.Contains("\"officeId\":\"hongqi\"", config, StringComparison.Ordinal);
            Assert.Contains("\"version\":\"1\"", config, StringComparison.Ordinal);

            var rows = new Journal("hongqi", "hongqi-door").OnTime("w1", Journal.Workdays(2026, 3, toDay: 3)).Build();
            var batch = centre.Dir.File("batch.json");
            await File.WriteAllBytesAsync(batch, SyncJson.Serialize(BatchSignature.Create(centre.Identity("hongqi-door"), "b1", rows)));
            await broker.ToolAsync("mosquitto_pub", ["-V", "mqttv5", "-q", "1", "-t", Topics.Events("hongqi", "hongqi-door"), "-f", batch]);

            var ack = await broker.ToolAsync("mosquitto_sub", ["-t", Topics.Ack("hongqi", "hongqi-door"), "-C", "1", "-W", "30"]);
            Assert.Contains($"\"upToSequence\":{rows.Count}", ack, StringComparison.Ordinal);
            var board = await centre.RunOkAsync("board", "--office", "hongqi", "--date", "2026-03-03");
            Assert.Contains("张三\t已签到 07:55\t已签到 12:55", board, StringComparison.Ordinal);
        }
        finally
        {
            if (!serve.HasExited)
            {
                Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
                Assert.True(serve.WaitForExit(20_000), "serve did not stop on SIGTERM:\n" + log);
            }
        }
    }
}
