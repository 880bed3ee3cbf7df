using Kiosk.Core.Events;

namespace Kiosk.Central.Tests;

/// <summary>Builds one device's journal the way the kiosk does: events in time order, consecutive sequence
/// numbers, and the hash chain of JournalHash, so the centre's verification sees real rows.</summary>
internal sealed class Journal(string office, string device)
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private readonly List<(AttendanceEvent Event, ClockQuality Clock)> _pending = [];

    public string Office { get; } = office;

    public string Device { get; } = device;

    public static DateTimeOffset At(DateOnly date, int hour, int minute, int second = 0) =>
        new(date.Year, date.Month, date.Day, hour, minute, second, Beijing);

    public Journal Add(AttendanceEvent ev, ClockQuality clock = ClockQuality.Synchronised)
    {
        _pending.Add((ev, clock));
        return this;
    }

    public Journal Punch(string worker, DateOnly date, int hour, int minute, int second = 0) =>
        Add(new Punch(worker, "B-" + worker, null, PunchMethod.Card, At(date, hour, minute, second)));

    /// <summary>Both daily sign-ins on time (07:55 and 12:55) on every date given.</summary>
    public Journal OnTime(string worker, IEnumerable<DateOnly> dates)
    {
        foreach (var d in dates)
        {
            Punch(worker, d, 7, 55);
            Punch(worker, d, 12, 55);
        }

        return this;
    }

    /// <summary>The rows in time order with sequences 1..n and the hash chain.</summary>
    public IReadOnlyList<JournalEnvelope> Build()
    {
        var rows = new List<JournalEnvelope>();
        var prev = JournalHash.Genesis;
        long seq = 0;
        foreach (var (ev, clock) in _pending.OrderBy(p => p.Event.At.UtcTicks))
        {
            seq++;
            var row = JournalHash.Seal(new JournalEnvelope(Office, Device, seq, ev, "boot-1", seq * 1000, clock, prev, string.Empty));
            rows.Add(row);
            prev = row.Hash;
        }

        return rows;
    }

    /// <summary>Workdays of the 2026 calendar in a month (weekdays that are not holidays, plus 调休 weekends).</summary>
    public static IEnumerable<DateOnly> Workdays(int year, int month, int fromDay = 1, int toDay = 31)
    {
        var calendar = Kiosk.Core.Calendar.WorkCalendar.BuiltIn;
        for (var d = new DateOnly(year, month, 1); d.Month == month; d = d.AddDays(1))
        {
            if (d.Day >= fromDay && d.Day <= toDay && Kiosk.Core.Calendar.DayKindExtensions.IsWorkday(calendar.KindOf(d)))
            {
                yield return d;
            }
        }
    }
}
