// Run: dotnet run -c Release --project bench/Kiosk.Drivers.Bench [-- --quick]
using System.Diagnostics;
using System.Globalization;
using Kiosk.Drivers.Bench;

// Drivers benchmark (issue 3): (1) time from the last byte of an RDM6300 frame written to a socat pty to the
// CardPresented event, p50/p99; (2) frame-parser throughput over random + valid frames, with every accepted id
// checked against the ids encoded (all valid frames read, no id whose checksum is wrong). Markdown table out.
var quick = args.Contains("--quick");
var latencyFrames = quick ? 500 : 10_000;
var parserFrames = quick ? 50_000 : 1_000_000;

var rows = new List<string[]>();
var latency = await CardLatency.MeasureAsync(latencyFrames);
rows.Add(["RDM6300 frame on pty → CardPresented", latencyFrames.ToString("N0", CultureInfo.InvariantCulture) + " frames",
    $"p50 {Ms(latency.P50)}, p99 {Ms(latency.P99)}, max {Ms(latency.Max)}"]);
foreach (var result in ParserThroughput.Run(parserFrames))
{
    rows.Add([result.Name + " parser", result.Frames.ToString("N0", CultureInfo.InvariantCulture) + $" frames ({result.Valid:N0} valid)",
        $"{result.FramesPerSecond:N0} frames/s, {result.Megabytes / result.Seconds:N1} MB/s, accepted {result.Accepted:N0} "
        + $"(chance frames in the noise {result.Extra:N0}, wrong {result.Wrong:N0})"]);
}

Console.WriteLine($"## Kiosk drivers benchmark{(quick ? " (--quick)" : string.Empty)}");
Console.WriteLine();
Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();
Console.WriteLine("| measurement | size | result |");
Console.WriteLine("|---|---|---|");
foreach (var row in rows)
{
    Console.WriteLine($"| {row[0]} | {row[1]} | {row[2]} |");
}

// Every valid frame must be read, and every other accepted id must be a correct frame the noise happened to
// contain (its encoded bytes, checksums included, occur in the stream): anything else fails the run (CI smoke test).
return ParserThroughput.AllExact ? 0 : 1;

static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture) + " ms";

namespace Kiosk.Drivers.Bench
{
    internal readonly record struct Percentiles(TimeSpan P50, TimeSpan P99, TimeSpan Max)
    {
        public static Percentiles Of(List<long> ticks)
        {
            ticks.Sort();
            TimeSpan At(double q) => Stopwatch.GetElapsedTime(0, ticks[Math.Min(ticks.Count - 1, (int)(q * ticks.Count))]);
            return new Percentiles(At(0.50), At(0.99), Stopwatch.GetElapsedTime(0, ticks[^1]));
        }
    }
}
