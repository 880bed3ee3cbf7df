using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Kiosk.Sync.Centre;
using Kiosk.Sync.Contract;

namespace Kiosk.Sync.Bench;

/// <summary>`--stages`: the drain's steps one after the other on one thread, without the broker, in µs per event:
/// where the CPU of a drained event goes (device read + outbox bookkeeping, batch writing and signing, the centre's
/// parse and checks, its commit, the device's acknowledgement). Several passes over fresh stores; the first warms up the
/// runtime, and each step's best of the others is printed (on a shared machine a single pass varies by ±30 %).</summary>
internal static class Stages
{
    public static async Task RunAsync(string dir, int events, DateTimeOffset start)
    {
        const string Office = "o1";
        var ci = CultureInfo.InvariantCulture;
        const int Passes = 5;
        double[] µs = new double[5];
        double[] cpu = new double[5];
        double[] bestµs = [.. Enumerable.Repeat(double.MaxValue, 5)];
        double[] bestCpu = [.. Enumerable.Repeat(double.MaxValue, 5)];
        static double Cpu() => ProcessCpu.Microseconds();
        for (var pass = 0; pass < Passes; pass++)
        {
            Array.Clear(µs);
            Array.Clear(cpu);
            var device = "s" + pass.ToString(ci);
            using var journal = await DeviceJournal.FillAsync(Path.Combine(dir, device + ".db"), Office, device, events, start);
            var outbox = DeviceJournal.Outbox(journal);
            using var identity = DeviceIdentity.CreateEphemeral(Office, device);
            var store = new InboxStore(Path.Combine(dir, device + "-centre.db"), TimeProvider.System);
            await store.MigrateAsync(CancellationToken.None);
            await store.RegisterDeviceAsync(Office, device, identity.PublicKeyPem, CancellationToken.None);
            var topic = Topics.Events(Office, device);
            var buffer = new ArrayBufferWriter<byte>(512 * 1024);
            for (long after = 0; ;)
            {
                var c = Cpu();
                var t = Stopwatch.GetTimestamp();
                var rows = await outbox.ReadWireAfterAsync(after, 500, CancellationToken.None);
                µs[0] += Stopwatch.GetElapsedTime(t).TotalMicroseconds;
                cpu[0] += Cpu() - c;
                if (rows.Count == 0)
                {
                    break;
                }

                c = Cpu();
                t = Stopwatch.GetTimestamp();
                buffer.ResetWrittenCount();
                BatchPayload.Sign(identity, "b" + after.ToString(ci), rows, buffer);
                µs[1] += Stopwatch.GetElapsedTime(t).TotalMicroseconds;
                cpu[1] += Cpu() - c;
                c = Cpu();
                t = Stopwatch.GetTimestamp();
                var prepared = await store.PrepareRawAsync(topic, buffer.WrittenMemory, CancellationToken.None);
                µs[2] += Stopwatch.GetElapsedTime(t).TotalMicroseconds;
                cpu[2] += Cpu() - c;
                c = Cpu();
                t = Stopwatch.GetTimestamp();
                var stored = await store.CommitAsync(prepared.Ready ?? throw new InvalidOperationException(prepared.Rejected?.Detail), CancellationToken.None);
                µs[3] += Stopwatch.GetElapsedTime(t).TotalMicroseconds;
                cpu[3] += Cpu() - c;
                c = Cpu();
                t = Stopwatch.GetTimestamp();
                await outbox.MarkAcknowledgedAsync(stored.AckSequence, CancellationToken.None);
                µs[4] += Stopwatch.GetElapsedTime(t).TotalMicroseconds;
                cpu[4] += Cpu() - c;
                after = rows[^1].Sequence;
            }

            if (pass > 0)
            {
                for (var i = 0; i < 5; i++)
                {
                    bestµs[i] = Math.Min(bestµs[i], µs[i]);
                    bestCpu[i] = Math.Min(bestCpu[i], cpu[i]);
                }
            }
        }

        string[] names =
        [
            "device: read rows as wire text (+ the sent marks, written once a second)",
            "device: write and sign the batch message",
            "centre: parse, check topic/device/hashes/signature",
            "centre: store events + watermark (one transaction)",
            "device: record the acknowledgement (written every 2,000 events or when caught up)",
        ];
        Console.WriteLine();
        Console.WriteLine($"Steps of the drain on one thread, no broker ({events:N0} events in batches of 500, each step's best of {Passes - 1} passes after one warm-up):");
        Console.WriteLine();
        Console.WriteLine("| step | µs per event | CPU µs per event |");
        Console.WriteLine("| --- | ---: | ---: |");
        for (var i = 0; i < names.Length; i++)
        {
            Console.WriteLine(string.Create(ci, $"| {names[i]} | {bestµs[i] / events:F2} | {bestCpu[i] / events:F2} |"));
        }

        Console.WriteLine(string.Create(ci, $"| total (of the bests) | {bestµs.Sum() / events:F2} | {bestCpu.Sum() / events:F2} |"));
    }
}

/// <summary>The process's CPU time with nanosecond resolution (CLOCK_PROCESS_CPUTIME_ID, all threads):
/// Process.TotalProcessorTime comes from /proc in 10 ms ticks, coarser than one batch.</summary>
internal static partial class ProcessCpu
{
    private const int ClockProcessCpuTimeId = 2;

    public static double Microseconds()
    {
        if (ClockGetTime(ClockProcessCpuTimeId, out var ts) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
        }

        return (ts.Seconds * 1e6) + (ts.Nanoseconds / 1e3);
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec ts);

    private readonly struct TimeSpec
    {
        public readonly long Seconds;
        public readonly long Nanoseconds;
    }
}
