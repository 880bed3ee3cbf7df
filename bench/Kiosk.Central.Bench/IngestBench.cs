using System.Diagnostics;
using Kiosk.Core.Events;
using Kiosk.Sync.Centre;
using Kiosk.Sync.Contract;

namespace Kiosk.Central.Bench;

/// <summary>Ingest into the real central store (a SQLite file in /tmp, WAL + synchronous=FULL) through the sync
/// inbox's StoreBatchAsync: serialised, then the raw path both MQTT and the USB import take, signature verification included.</summary>
internal static class IngestBench
{
    public sealed record Result(TimeSpan First, TimeSpan Again, long StoredCount, TimeSpan ReadBack, int ReadCount, TimeSpan ReadBackCpu,
        TimeSpan FirstCpu);

    public static async Task<Result> RunAsync(int events, int devices, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "kiosk-central-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var db = Path.Combine(dir, "central.db");
            using (Store.CentralStore.Open(db))
            {
            }

            var store = new InboxStore(db, TimeProvider.System);
            var batches = new List<EventBatch>();
            var perDevice = events / devices;
            for (var d = 0; d < devices; d++)
            {
                using var identity = DeviceIdentity.CreateEphemeral("office" + (d % 5), "dev" + d);
                await store.RegisterDeviceAsync(identity.OfficeId, identity.DeviceId, identity.PublicKeyPem, ct);
                var rows = Rows(identity.OfficeId, identity.DeviceId, d == devices - 1 ? events - (perDevice * (devices - 1)) : perDevice);
                foreach (var chunk in rows.Chunk(500))
                {
                    batches.Add(BatchSignature.Create(identity, "b" + chunk[0].Sequence, chunk));
                }
            }

            var firstCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var first = Stopwatch.StartNew();
            foreach (var b in batches)
            {
                await store.StoreBatchAsync(b, Topics.Events(b.OfficeId, b.DeviceId), ct);
            }

            first.Stop();
            var firstCpu = Process.GetCurrentProcess().TotalProcessorTime - firstCpu0;
            var again = Stopwatch.StartNew();
            foreach (var b in batches)
            {
                await store.StoreBatchAsync(b, Topics.Events(b.OfficeId, b.DeviceId), ct);
            }

            again.Stop();

            // What `report month` pays before scoring: reading the month's raw envelopes back out of the store.
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var read = Stopwatch.StartNew();
            var back = await store.ReadEventsAsync(null, new DateTime(2026, 1, 1), new DateTime(2026, 5, 1), ct);
            read.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
            return new Result(first.Elapsed, again.Elapsed, await store.CountEventsAsync(null, ct), read.Elapsed, back.Count, cpu, firstCpu);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static List<JournalEnvelope> Rows(string office, string device, int count)
    {
        var list = new List<JournalEnvelope>(count);
        var prev = JournalHash.Genesis;
        var start = new DateTimeOffset(2026, 3, 2, 7, 30, 0, TimeSpan.FromHours(8));
        for (var i = 1; i <= count; i++)
        {
            var ev = new Punch("w" + (i % 40), "B" + (i % 40), null, PunchMethod.Card, start.AddSeconds(i * 7));
            var row = JournalHash.Seal(new JournalEnvelope(office, device, i, ev, "boot", i, ClockQuality.Synchronised, prev, string.Empty));
            list.Add(row);
            prev = row.Hash;
        }

        return list;
    }
}
