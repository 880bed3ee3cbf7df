using System.Diagnostics;
using System.Globalization;
using Kiosk.Core.Calendar;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Core.Scoring;
using Kiosk.Core.Settings;
using Kiosk.Core.Verdicts;

// Issue 2, "Tests and benchmark": score one month for 10,000 workers (March 2026: 22 workdays, 4 punches a day,
// some leave and excuses) and print the time and events/s. Inputs are pre-grouped per worker, as the centre hands
// them over.
// Usage: dotnet run -c Release --project bench/Kiosk.Core.Bench [-- --quick] [--workers N]
var quick = args.Contains("--quick");
var workers = quick ? 1_000 : 10_000;
var at = Array.IndexOf(args, "--workers");
if (at >= 0 && at + 1 < args.Length)
{
    workers = int.Parse(args[at + 1], CultureInfo.InvariantCulture);
}

var settings = RulesSettings.Default with { Schedule = RulesSettings.Default.Schedule with { SignOutsRequired = true } };
var calendar = WorkCalendar.BuiltIn;
const int Year = 2026, Month = 3;
var workdays = 0;
for (var d = new DateOnly(Year, Month, 1); d.Month == Month; d = d.AddDays(1))
{
    workdays += calendar.KindOf(d).IsWorkday() ? 1 : 0;
}

var input = MonthData.Build(workers, calendar, Year, Month, seed: 20260301);
var events = input.Sum(r => r.Punches.Count + r.Excuses.Count + r.Leaves.Count + r.Findings.Count + r.SecretaryPoints.Count);
var completeUpTo = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(8));

var engine = new VerdictEngine(settings, calendar);
var scorer = new MonthlyScorer(settings);
var scores = new MonthlyScore[input.Count];

// Warm-up (JIT, tiering: the centre is a long-running process), then timed runs; the median is reported.
// CPU time is printed beside wall time because this machine is shared: wall time includes waiting for a core.
for (var warm = 0; warm < 2; warm++)
{
    for (var i = 0; i < input.Count; i++)
    {
        scores[i] = scorer.Score(engine, input[i], Year, Month, completeUpTo);
    }
}

var runs = quick ? 3 : 5;
var times = new List<double>();
var cpu = new List<double>();
var process = Process.GetCurrentProcess();
var allocated = 0L;
for (var run = 0; run < runs; run++)
{
    var before = GC.GetAllocatedBytesForCurrentThread();
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < input.Count; i++)
    {
        scores[i] = scorer.Score(engine, input[i], Year, Month, completeUpTo);
    }

    sw.Stop();
    process.Refresh();
    cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    times.Add(sw.Elapsed.TotalMilliseconds);
}

times.Sort();
cpu.Sort();
var median = times[times.Count / 2];
var cpuMedian = cpu[cpu.Count / 2];
var deductions = scores.Sum(s => s.Deductions.Count);
var full = scores.Count(s => s.FullAttendance);
var inv = CultureInfo.InvariantCulture;
Console.WriteLine("| workers | workdays | events | verdicts | deductions | 全勤 | median ms | best ms | CPU ms (median) | events/s | MB allocated/run | target |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
Console.WriteLine(string.Create(inv,
    $"| {workers:N0} | {workdays} | {events:N0} | {scores.Sum(s => s.Verdicts.Count):N0} | {deductions:N0} | {full:N0} | {median:F0} | {times[0]:F0} | {cpuMedian:F0} | {events / (median / 1000):N0} | {allocated / 1048576.0:F0} | {(workers >= 10_000 ? (median < 2000 ? "< 2 s: met" : "< 2 s: MISSED") : "(quick run)")} |"));
return workers >= 10_000 && median >= 2000 ? 1 : 0;
