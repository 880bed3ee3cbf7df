using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Device.Journal;
using Kiosk.Sync.Contract;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Tests.EndToEnd;

public sealed class CrashTests
{
    [Fact]
    public async Task Every_punch_shown_before_a_SIGKILL_is_in_the_journal_and_the_chain_verifies()
    {
        var dir = Directory.CreateTempSubdirectory("kiosk-crash-");
        try
        {
            var config = WriteConfig(dir.FullName);
            var shown = new Dictionary<long, string>();
            var random = new Random(20261122);
            const int Rounds = 12;
            for (var round = 0; round < Rounds; round++)
            {
                var target = random.Next(1, 60);
                using var process = Start(config);
                var started = await process.StandardOutput.ReadLineAsync();
                Assert.NotNull(started);
                Assert.StartsWith("STARTED", started, StringComparison.Ordinal);
                Assert.EndsWith("healthy=True", started, StringComparison.Ordinal);
                var seen = 0;
                while (seen < target && await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    var parts = line.Split(' ');
                    if (parts[0] == "SHOWN")
                    {
                        shown[long.Parse(parts[1], CultureInfo.InvariantCulture)] = parts[2];
                        seen++;
                    }
                }

                process.Kill(); // SIGKILL: no chance to flush or close anything
                await process.WaitForExitAsync();
                Assert.Equal(target, seen);

                using var journal = EventJournal.Open(new JournalOptions(Path.Combine(dir.FullName, "data", "journal.db"), "office-1", "kiosk-1"), NullLogger.Instance);
                var rows = journal.ReadAfter(0, 1_000_000).ToDictionary(r => r.Sequence);
                foreach (var (sequence, worker) in shown)
                {
                    Assert.True(rows.TryGetValue(sequence, out var row), $"round {round}: punch {sequence} was shown but is not in the journal");
                    Assert.Equal(worker, ((Punch)row.Envelope().Event).WorkerId);
                }

                var report = JournalIntegrity.Check(journal);
                Assert.True(report.Healthy, $"round {round}: {report.QuickCheck}; {string.Join("; ", report.NewBreaks)}");
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            }

            Assert.True(shown.Count >= Rounds, "the storm showed too few punches");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static Process Start(string config)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kiosk.dll"));
        info.ArgumentList.Add("punch-storm");
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(config);
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static string WriteConfig(string dir)
    {
        var workers = Enumerable.Range(1, 5)
            .Select(i => new Worker("20" + i.ToString(CultureInfo.InvariantCulture), "工作人员" + i.ToString(CultureInfo.InvariantCulture),
                ["000100000" + i.ToString(CultureInfo.InvariantCulture)], "office-1", Role.Worker, new DateOnly(2020, 1, 1), null, []))
            .ToList();
        var roster = JsonSerializer.SerializeToElement(new OfficeRoster("office-1", "r1", workers, []), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var seed = Path.Combine(dir, "seed.json");
        File.WriteAllBytes(seed, SyncJson.Serialize(new OfficeConfig(1, "office-1", "seed-1", DateTimeOffset.UnixEpoch, roster, null, null, null)));
        var config = Path.Combine(dir, "kiosk.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new
        {
            OfficeId = "office-1",
            DeviceId = "kiosk-1",
            DataDirectory = Path.Combine(dir, "data"),
            SeedConfigPath = seed,
        }));
        return config;
    }
}
