using Kiosk.Core.Calendar;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Core.Verdicts;

/// <summary>A deterministic month of records: 4 punches per workday (sign-in and sign-out per session) with
/// some late arrivals, early leaves, duplicate taps, a few absences, ~5% of workers with approved or requested
/// leave, ~5% with an excuse (one in ten of those self-marked), inspection findings and secretary points.</summary>
internal static class MonthData
{
    public static List<WorkerRecords> Build(int workers, WorkCalendar calendar, int year, int month, int seed)
    {
        var rng = new Random(seed);
        var offset = TimeSpan.FromHours(8);
        var days = new List<DateOnly>();
        for (var d = new DateOnly(year, month, 1); d.Month == month; d = d.AddDays(1))
        {
            if (calendar.KindOf(d).IsWorkday())
            {
                days.Add(d);
            }
        }

        var result = new List<WorkerRecords>(workers);
        for (var w = 0; w < workers; w++)
        {
            var id = "W" + w.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            var worker = new Worker(id, "工作人员", [(1_000_000 + w).ToString(System.Globalization.CultureInfo.InvariantCulture)],
                "OFF" + (w % 50).ToString(System.Globalization.CultureInfo.InvariantCulture), Role.Worker, new DateOnly(2020, 1, 1), null, [w % 1000]);
            var punches = new List<PunchRecord>(days.Count * 4 + 4);
            foreach (var d in days)
            {
                if (rng.Next(500) == 0)
                {
                    continue; // absent all day
                }

                Add(d, Arrive(7 * 60 + 40));  // morning sign-in: 3% late
                Add(d, Leave(11 * 60 + 30));  // morning sign-out: 2% early
                Add(d, Arrive(12 * 60 + 40)); // afternoon sign-in
                Add(d, Leave(16 * 60 + 30));  // afternoon sign-out
                if (rng.Next(20) == 0)
                {
                    Add(d, 12 * 60 + 59); // a duplicate tap
                }
            }

            var excuses = new List<Excuse>();
            var leaves = new List<LeaveRequest>();
            var findings = new List<InspectionFinding>();
            if (rng.Next(20) == 0)
            {
                var d = days[rng.Next(days.Count)];
                var markedBy = rng.Next(10) == 0 ? id : "SEC";
                excuses.Add(new Excuse(id, d, Session.Morning, ExcuseReason.Meeting, null, markedBy, EventSource.Secretary, At(d, 10 * 60)));
            }

            if (rng.Next(20) == 0)
            {
                var d = days[rng.Next(days.Count)];
                var state = rng.Next(4) == 0 ? LeaveState.Requested : LeaveState.Approved;
                leaves.Add(new LeaveRequest("L" + id, id, LeaveType.Personal, d, Session.Morning, 1 + rng.Next(4), state, "CommunityBuildingSection", "SEC", id, null, At(d, 7 * 60)));
            }

            if (rng.Next(50) == 0)
            {
                var d = days[rng.Next(days.Count)];
                findings.Add(new InspectionFinding(id, d, Session.Afternoon, "INSP", null, At(d, 15 * 60)));
            }

            var points = new List<SecretaryPoints> { new(id, year, month, 10 + rng.Next(11), "SEC", At(days[^1], 17 * 60)) };
            result.Add(new WorkerRecords(worker, punches, excuses, leaves, [], findings, points));

            int Arrive(int usual) => rng.Next(100) < 3 ? usual + 20 + rng.Next(90) : usual + rng.Next(20);

            int Leave(int point) => rng.Next(100) < 2 ? point - 1 - rng.Next(60) : point + rng.Next(25);

            void Add(DateOnly d, int minute) => punches.Add(new PunchRecord(At(d, minute).AddSeconds(rng.Next(60)), ClockQuality.Synchronised));
        }

        return result;

        DateTimeOffset At(DateOnly d, int minute) => new DateTimeOffset(d.Year, d.Month, d.Day, 0, 0, 0, offset).AddMinutes(minute);
    }
}
