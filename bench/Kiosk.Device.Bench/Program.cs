// Run: dotnet run -c Release --project bench/Kiosk.Device.Bench [-- --quick]
using System.Globalization;
using Kiosk.Device.Bench;

// Issue 4 benchmark. Full: 2,000 punches on the pty path, 10,000 through the program; --quick: 200 and 1,000.
var quick = args.Contains("--quick");
var pathCount = quick ? 200 : 2_000;
var programCount = quick ? 1_000 : 10_000;
var directory = Directory.CreateTempSubdirectory("kiosk-bench-").FullName;
try
{
    var floor = SqliteFloor.Measure(directory, pathCount);
    var path = await PunchPath.MeasureAsync(directory, pathCount);
    var (startMs, memory, punches) = await ChildKiosk.MeasureAsync(directory, programCount);
    var (_, pinned, _) = await ChildKiosk.MeasureAsync(directory, programCount, "0x400000");
    var inv = CultureInfo.InvariantCulture;
    var ratio = P(path, 0.99) / P(floor, 0.99);
    Console.WriteLine($"# Kiosk.Device bench ({(quick ? "quick" : "full")}, {Environment.ProcessorCount} cores, temp dir {directory})");
    Console.WriteLine();
    Console.WriteLine("| measure | n | p50 | p99 | target | result |");
    Console.WriteLine("| --- | ---: | ---: | ---: | --- | --- |");
    Console.WriteLine(string.Create(inv, $"| raw SQLite insert+commit (WAL, synchronous=FULL): the floor | {floor.Length} | {P(floor, 0.5):F2} ms | {P(floor, 0.99):F2} ms | | |"));
    Console.WriteLine(string.Create(inv, $"| card frame on pty → committed → display pushed | {path.Length} | {P(path, 0.5):F2} ms | {P(path, 0.99):F2} ms | p99 ≤ 3× floor | {ratio:F2}× {(ratio <= 3 ? "met" : "MISSED")} |"));
    Console.WriteLine(string.Create(inv, $"| process start → READY=1 (`dotnet kiosk.dll run --simulate`) | 1 | {startMs:F0} ms | | < 2000 ms | {(startMs < 2000 ? "met" : "MISSED")} |"));
    Console.WriteLine(string.Create(inv, $"| resident memory (VmRSS) after {punches} punches | 1 | {memory.Rss / 1048576.0:F1} MB | | < 80 MB | {(memory.Rss < 80L * 1048576 ? "met" : "MISSED")} |"));
    Console.WriteLine(string.Create(inv, $"| … of which private (RssAnon) / file-backed runtime+assemblies (RssFile) | 1 | {memory.Anon / 1048576.0:F1} / {memory.File / 1048576.0:F1} MB | | | |"));
    Console.WriteLine(string.Create(inv, $"| VmRSS after {punches} punches with DOTNET_GCgen0size=0x400000 (anon / file) | 1 | {pinned.Rss / 1048576.0:F1} MB ({pinned.Anon / 1048576.0:F1} / {pinned.File / 1048576.0:F1}) | | < 80 MB | {(pinned.Rss < 80L * 1048576 ? "met" : "MISSED")} |"));
}
finally
{
    Directory.Delete(directory, recursive: true);
}

static double P(double[] samples, double q)
{
    var sorted = samples.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
