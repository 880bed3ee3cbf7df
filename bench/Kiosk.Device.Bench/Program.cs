// Run: dotnet run -c Release --project bench/Kiosk.Device.Bench [-- --quick]
using System.Globalization;
using Kiosk.Device.Bench;

// Issue 4 benchmark. Full: 2,000 punches on the pty path, 10,000 through the program; --quick: 200 and 1,000.
// --no-variants skips the table of runtime settings (one program run each).
var quick = args.Contains("--quick");
var pathCount = quick ? 200 : 2_000;
var programCount = quick ? 1_000 : 10_000;
var directory = Directory.CreateTempSubdirectory("kiosk-bench-").FullName;
var inv = CultureInfo.InvariantCulture;
try
{
    var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
    double[] floor, path;
    long bytesPerPunch;
    using (var raw = new SqliteFloor(directory))
    {
        (path, bytesPerPunch) = await PunchPath.MeasureAsync(directory, pathCount, raw);
        floor = raw.Samples;
    }

    var shipped = await ChildKiosk.MeasureAsync(directory, programCount);
    // Each variant changes one runtime knob from the shipped kiosk.runtimeconfig.json (docs/device.md, "Memory").
    (string Name, Dictionary<string, string> Environment)[] variants =
    [
        ("DOTNET_GCHeapHardLimit=0: no heap limit, gen0 budget sized from the CPU cache", new() { ["DOTNET_GCHeapHardLimit"] = "0" }),
        ("DOTNET_TieredCompilation=0: every method JIT-compiled once, optimised", new() { ["DOTNET_TieredCompilation"] = "0" }),
        ("DOTNET_GCgen0size=0x400000: gen0 budget pinned to 4 MB (environment only)", new() { ["DOTNET_GCgen0size"] = "0x400000" }),
        ("DOTNET_TieredPGO=1: instrumented tier-0 code", new() { ["DOTNET_TieredPGO"] = "1" }),
    ];
    var measured = new List<(string Name, ChildResult Result)>();
    foreach (var (name, environment) in args.Contains("--no-variants") ? [] : variants)
    {
        measured.Add((name, await ChildKiosk.MeasureAsync(directory, programCount, environment)));
    }

    var ratio = P(path, 0.99) / P(floor, 0.99);
    var memory = shipped.Memory;
    Console.WriteLine($"# Kiosk.Device bench ({(quick ? "quick" : "full")}, {Environment.ProcessorCount} cores, load average {string.Join(' ', load)} at start, temp dir {directory})");
    Console.WriteLine();
    Console.WriteLine("| measure | n | p50 | p99 | target | result |");
    Console.WriteLine("| --- | ---: | ---: | ---: | --- | --- |");
    Console.WriteLine(string.Create(inv, $"| raw SQLite insert+commit (WAL, synchronous=FULL): the floor, one after each punch | {floor.Length} | {P(floor, 0.5):F2} ms | {P(floor, 0.99):F2} ms | | |"));
    Console.WriteLine(string.Create(inv, $"| card frame on pty → committed → display pushed | {path.Length} | {P(path, 0.5):F2} ms | {P(path, 0.99):F2} ms | p99 ≤ 3× floor | {ratio:F2}× {(ratio <= 3 ? "met" : "MISSED")} |"));
    Console.WriteLine(string.Create(inv, $"| … managed bytes allocated per punch (whole process: driver, flow, journal, bench loop) | {path.Length} | {bytesPerPunch:N0} B | | | |"));
    Console.WriteLine(string.Create(inv, $"| process start → READY=1 (`dotnet kiosk.dll run --simulate`) | 1 | {shipped.StartMs:F0} ms | | < 2000 ms | {(shipped.StartMs < 2000 ? "met" : "MISSED")} |"));
    Console.WriteLine(string.Create(inv, $"| resident memory (VmRSS) after {shipped.Punches} punches | 1 | {Mb(memory.Rss)} MB | | < 80 MB | {(memory.Rss < 80L * 1048576 ? "met" : "MISSED")} |"));
    Console.WriteLine(string.Create(inv, $"| … of which private (RssAnon) / file-backed runtime+assemblies (RssFile) | 1 | {Mb(memory.Anon)} / {Mb(memory.File)} MB | | | |"));
    Console.WriteLine(string.Create(inv, $"| … VmRSS after the first {Math.Min(1_000, programCount)} punches (growth after = per-punch retention) | 1 | {Mb(shipped.Early.Rss)} MB | | | |"));
    Console.WriteLine();
    Console.WriteLine($"Runtime settings, one changed at a time from the shipped kiosk.runtimeconfig.json ({programCount} punches each):");
    Console.WriteLine();
    Console.WriteLine("| settings | start → READY | VmRSS after 1,000 | VmRSS at end | anon / file at end |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
    foreach (var (name, r) in measured.Prepend(("shipped (kiosk.runtimeconfig.json)", shipped)))
    {
        Console.WriteLine(string.Create(inv, $"| {name} | {r.StartMs:F0} ms | {Mb(r.Early.Rss)} MB | {Mb(r.Memory.Rss)} MB | {Mb(r.Memory.Anon)} / {Mb(r.Memory.File)} MB |"));
    }
}
finally
{
    Directory.Delete(directory, recursive: true);
}

static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

static double P(double[] samples, double q)
{
    var sorted = samples.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
