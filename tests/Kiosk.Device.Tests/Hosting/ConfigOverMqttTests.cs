using System.Diagnostics;
using System.Text.Json;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Device.Journal;
using Kiosk.Sync.Contract;
using Kiosk.Testing.Mosquitto;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Tests.Hosting;

/// <summary>Office configuration arriving over MQTT into the running kiosk program (docs/protocol.md: retained
/// OfficeConfig on attendance/v1/{office}/{device}/config; the device reports the version it runs in its retained
/// status). A real mosquitto on a free loopback port, the real program as a child process in simulate mode, badges
/// typed on its stdin, screens read from its stdout, its log from stderr, its journal file read afterwards.</summary>
public sealed class ConfigOverMqttTests
{
    private const string LiBadge = "0001623027";
    private const string WangBadge = "0001623028";
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task A_retained_configuration_adds_a_worker_to_the_running_kiosk_and_one_for_another_office_is_ignored_and_logged()
    {
        var dir = Directory.CreateTempSubdirectory("kiosk-config-mqtt-");
        try
        {
            await using var broker = await MosquittoBroker.StartAsync(dir.FullName);
            var config = KioskProcess.WriteConfig(dir.FullName, new() { ["Mqtt"] = new { Host = "127.0.0.1", Port = broker.Port } });
            using var kiosk = Process.Start(KioskProcess.Info("run", "--simulate", "--config", config))!;
            var screen = new OutputLines(kiosk.StandardOutput);
            var log = new OutputLines(kiosk.StandardError);
            try
            {
                // Running on its seed configuration: connected, reporting "seed-1", and 李四 is not on its roster yet.
                Assert.Equal("seed-1", (await RetainedStatusAsync(broker, s => s.ConfigVersion == "seed-1", log)).ConfigVersion);
                await kiosk.StandardInput.WriteLineAsync(LiBadge);
                await kiosk.StandardInput.FlushAsync();
                await screen.WaitForAsync(l => l.StartsWith("[display] 未登记的卡 | " + LiBadge, StringComparison.Ordinal), "李四 refused before the new roster", alsoShow: log);

                // The centre publishes version cfg-2 with 李四 (no finger enrolled yet: punched on the card alone).
                var li = new Worker("1002", "李四", [LiBadge], "office-1", Role.Worker, new DateOnly(2020, 1, 1), null, []);
                var zhang = new Worker("1001", "张三", ["0001623026"], "office-1", Role.Worker, new DateOnly(2020, 1, 1), null, [1]);
                await broker.PublishRetainedAsync(Topics.Config("office-1", "kiosk-1"), Config("office-1", "cfg-2", new OfficeRoster("office-1", "r2", [zhang, li], [])));
                var status = await RetainedStatusAsync(broker, s => s.ConfigVersion == "cfg-2", log);
                Assert.True(status.Online);
                await log.WaitForAsync(l => l.Contains("Office configuration cfg-2 applied: 2 workers", StringComparison.Ordinal), "the apply logged");

                // The reader reports the same card again only after it left the field (RDM6300 RemovedAfter, 500 ms).
                await Task.Delay(600);
                var seen = screen.Count;
                await kiosk.StandardInput.WriteLineAsync(LiBadge);
                await kiosk.StandardInput.FlushAsync();
                var accepted = await screen.WaitForAsync(l => l.StartsWith("[display] ", StringComparison.Ordinal) && !l.Contains('-', StringComparison.Ordinal), "李四's punch", seen, log);
                Assert.StartsWith("[display] 李四 ", accepted, StringComparison.Ordinal);

                // A configuration for another office on this kiosk's topic is ignored and logged; so is one whose
                // roster belongs to another office. 王五 (only on office-2's roster) stays unknown.
                var wang = new Worker("2001", "王五", [WangBadge], "office-2", Role.Worker, new DateOnly(2020, 1, 1), null, []);
                var office2 = new OfficeRoster("office-2", "r9", [wang], []);
                await broker.PublishRetainedAsync(Topics.Config("office-1", "kiosk-1"), Config("office-2", "cfg-9", office2));
                await log.WaitForAsync(l => l.Contains("configuration for office office-2 v1 is not for this device", StringComparison.Ordinal), "the foreign message logged");
                Assert.Contains(log.Snapshot(), l => l.Contains("Ignored a bad message on " + Topics.Config("office-1", "kiosk-1"), StringComparison.Ordinal));
                await broker.PublishRetainedAsync(Topics.Config("office-1", "kiosk-1"), Config("office-1", "cfg-10", office2));
                await log.WaitForAsync(l => l.Contains("Office configuration cfg-10 rejected, keeping cfg-2", StringComparison.Ordinal), "the foreign roster logged");

                seen = screen.Count;
                await kiosk.StandardInput.WriteLineAsync(WangBadge);
                await kiosk.StandardInput.FlushAsync();
                await screen.WaitForAsync(l => l.StartsWith("[display] 未登记的卡 | " + WangBadge, StringComparison.Ordinal), "王五 refused", seen, log);
                Assert.Equal("cfg-2", (await RetainedStatusAsync(broker, _ => true, log)).ConfigVersion);

                // End of input: the kiosk stops cleanly (simulator), then its journal is read back.
                kiosk.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await kiosk.WaitForExitAsync(timeout.Token);
                Assert.True(kiosk.ExitCode == 0, log.ToString());
            }
            finally
            {
                if (!kiosk.HasExited)
                {
                    kiosk.Kill();
                }
            }

            using var journal = EventJournal.Open(new JournalOptions(Path.Combine(dir.FullName, "data", "journal.db"), "office-1", "kiosk-1"),
                NullLogger.Instance);
            var rows = journal.ReadAfter(0, 100);
            Assert.Equal(["unknown_card", "punch", "unknown_card"], rows.Select(r => r.Kind));
            Assert.Equal(LiBadge, ((UnknownCard)rows[0].Envelope().Event).BadgeId);
            var punch = Assert.IsType<Punch>(rows[1].Envelope().Event);
            Assert.Equal(("1002", LiBadge, PunchMethod.Card), (punch.WorkerId, punch.BadgeId, punch.Method));
            Assert.Equal(WangBadge, ((UnknownCard)rows[2].Envelope().Event).BadgeId);
            Assert.Equal("cfg-2", journal.LoadOfficeConfig()?.Version);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    private static byte[] Config(string office, string version, OfficeRoster roster) =>
        SyncJson.Serialize(new OfficeConfig(OfficeConfig.CurrentVersion, office, version, DateTimeOffset.UtcNow,
            JsonSerializer.SerializeToElement(roster, Web), null, null, null));

    /// <summary>The kiosk's retained status as a new subscriber gets it, polled until <paramref name="until"/> holds.</summary>
    private static async Task<DeviceStatus> RetainedStatusAsync(MosquittoBroker broker, Func<DeviceStatus, bool> until, OutputLines kioskLog)
    {
        var started = Stopwatch.StartNew();
        DeviceStatus? last = null;
        while (started.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var sub = await broker.SubscribeAsync(Topics.Status("office-1", "kiosk-1"), count: 1, waitSeconds: 2);
            var payload = (await sub.StandardOutput.ReadToEndAsync()).Trim();
            await sub.WaitForExitAsync();
            if (payload.Length > 0)
            {
                last = SyncJson.Deserialize<DeviceStatus>(payload);
                if (until(last))
                {
                    return last;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No such retained status; last {(last is null ? "none" : last.ConfigVersion)}. Kiosk log:\n{kioskLog}");
    }
}

/// <summary>The lines a child process writes, collected as they come, for tests that wait for one.</summary>
internal sealed class OutputLines
{
    private readonly List<string> lines = [];

    public OutputLines(StreamReader reader) => _ = Task.Run(async () =>
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }
    });

    public int Count
    {
        get
        {
            lock (lines)
            {
                return lines.Count;
            }
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (lines)
        {
            return lines.ToArray();
        }
    }

    public async Task<string> WaitForAsync(Func<string, bool> match, string what, int from = 0, OutputLines? alsoShow = null)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (Snapshot().Skip(from).FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Not seen within 30 s: {what}. Output:\n{this}" + (alsoShow is null ? string.Empty : "\nAnd:\n" + alsoShow));
    }

    public override string ToString() => string.Join("\n", Snapshot());
}
