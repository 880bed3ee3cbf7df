using System.Diagnostics;
using Kiosk.Central.Reports;
using Kiosk.Central.Roster;
using Kiosk.Central.Scoring;
using Kiosk.Core.Calendar;
using Kiosk.Core.Events;
using Kiosk.Core.Settings;

namespace Kiosk.Central.Bench;

/// <summary>A month (March 2026, 22 workdays) for a large district: every worker signs in twice a workday, some
/// late, some absent, some with leave and excuses; then the same scoring and report code the CLI runs.</summary>
internal static class MonthBench
{
    /// <summary>Wall times, and Cpu: the process's CPU time over the whole month run (on a machine shared with other
    /// jobs, wall time includes waiting for a core; CPU time is the work itself).</summary>
    public sealed record Result(int Events, int Deductions, TimeSpan Score, TimeSpan Csv, TimeSpan Xlsx, long XlsxBytes, TimeSpan Cpu);

    public static Result Run(int workers, int offices)
    {
        var input = Build(workers, offices);
        GC.Collect();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var score = Stopwatch.StartNew();
        var months = MonthScoring.Score(input, 2026, 3);
        score.Stop();

        var csv = Stopwatch.StartNew();
        var report = ReportBuilder.Build(2026, 3, "全街道", months);
        using (var stream = new MemoryStream())
        {
            CsvReportWriter.Write(stream, report);
        }

        csv.Stop();
        var xlsx = Stopwatch.StartNew();
        long bytes;
        using (var stream = new MemoryStream())
        {
            XlsxReportWriter.Write(stream, report);
            bytes = stream.Length;
        }

        xlsx.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        return new Result(input.Envelopes.Count + input.CentreEvents.Count, report.Deductions.Count, score.Elapsed, csv.Elapsed, xlsx.Elapsed, bytes, cpu);
    }

    private static ScoringInput Build(int workers, int offices)
    {
        var random = new Random(42);
        var roster = new List<RosterRow>(workers);
        for (var i = 0; i < workers; i++)
        {
            var office = "office" + (i % offices);
            roster.Add(new RosterRow("w" + i, "社工" + i, "B" + i, office, i < offices ? "secretary" : "worker", null, null,
                new DateOnly(2020, 1, 1), null, []));
        }

        var calendar = WorkCalendar.BuiltIn;
        var envelopes = new List<JournalEnvelope>(workers * 46);
        var centre = new List<(string, AttendanceEvent)>();
        var seq = new Dictionary<string, long>();
        foreach (var w in roster)
        {
            var device = w.Office + "-door";
            for (var d = new DateOnly(2026, 3, 1); d.Month == 3; d = d.AddDays(1))
            {
                if (!calendar.KindOf(d).IsWorkday())
                {
                    continue;
                }

                var roll = random.Next(100);
                if (roll == 0)
                {
                    centre.Add((w.Office, new LeaveRequest("L" + w.WorkerId + d.Day, w.WorkerId, LeaveType.Sick, d, Session.Morning, 2,
                        LeaveState.Approved, "section", "s", w.WorkerId, null, At(d, 7, 0))));
                    continue;
                }

                if (roll == 1)
                {
                    envelopes.Add(Row(w.Office, device, seq, new Excuse(w.WorkerId, d, Session.Morning, ExcuseReason.Meeting, null, "w0",
                        EventSource.Secretary, At(d, 9, 0))));
                }
                else
                {
                    envelopes.Add(Row(w.Office, device, seq, new Punch(w.WorkerId, w.Badge, null, PunchMethod.Card, At(d, roll < 6 ? 8 : 7, 50 - roll % 50 / 5))));
                }

                if (roll != 2)
                {
                    envelopes.Add(Row(w.Office, device, seq, new Punch(w.WorkerId, w.Badge, null, PunchMethod.Card, At(d, 12, 55))));
                }
            }

            centre.Add((w.Office, new SecretaryPoints(w.WorkerId, 2026, 3, 15 + (w.WorkerId.Length % 6), "w0", At(new DateOnly(2026, 3, 31), 17, 0))));
        }

        var upTo = new DateTimeOffset(2026, 3, 31, 23, 59, 59, TimeSpan.FromHours(8));
        var scopes = roster.Select(r => r.Office).Distinct().ToDictionary(o => o, o => new OfficeScope(o, RulesSettings.Default, upTo));
        return new ScoringInput(roster, envelopes, centre, calendar, scopes);
    }

    private static DateTimeOffset At(DateOnly d, int h, int m) => new(d.Year, d.Month, d.Day, h, m, 0, TimeSpan.FromHours(8));

    /// <summary>Scoring does not re-verify hashes (the inbox did on arrival), so the bench skips the chain.</summary>
    private static JournalEnvelope Row(string office, string device, Dictionary<string, long> seq, AttendanceEvent ev)
    {
        var s = seq[device] = seq.GetValueOrDefault(device) + 1;
        return new JournalEnvelope(office, device, s, ev, "boot", s, ClockQuality.Synchronised, string.Empty, string.Empty);
    }
}
