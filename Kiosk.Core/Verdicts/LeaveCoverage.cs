using Kiosk.Core.Calendar;
using Kiosk.Core.Events;

namespace Kiosk.Core.Verdicts;

/// <summary>Which sessions a leave covers (policy, "Leave"; issue 2 §5: "only approved leave covers a session;
/// pending leave shows as pending leave, not as 旷工 and not as covered").
/// A leave starts at (Start, StartSession) and lasts HalfDays working half-days counted on the calendar:
/// weekends and holidays inside it are skipped and do not use up half-days. A date whose year has no calendar
/// stops the count (never a guess); recomputing once the calendar arrives covers the rest.
/// The state of a leave is the one in its latest event (by time, then by list order) with that LeaveId:
/// Approved covers, Requested is pending, Refused and Cancelled cover nothing.</summary>
public static class LeaveCoverage
{
    /// <summary>The latest event of each LeaveId.</summary>
    public static IReadOnlyList<LeaveRequest> Current(IReadOnlyList<LeaveRequest> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var latest = new Dictionary<string, LeaveRequest>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var e in events)
        {
            if (!latest.TryGetValue(e.LeaveId, out var existing))
            {
                order.Add(e.LeaveId);
                latest[e.LeaveId] = e;
            }
            else if (e.At >= existing.At)
            {
                latest[e.LeaveId] = e;
            }
        }

        return order.Select(id => latest[id]).ToList();
    }

    /// <summary>The working half-days this leave covers, in order.</summary>
    public static IReadOnlyList<(DateOnly Date, Session Session)> SessionsCovered(LeaveRequest leave, WorkCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(leave);
        ArgumentNullException.ThrowIfNull(calendar);
        var result = new List<(DateOnly, Session)>(Math.Max(0, leave.HalfDays));
        var date = leave.Start;
        var session = leave.StartSession;
        var remaining = leave.HalfDays;
        var guard = 0;
        while (remaining > 0 && guard++ < 4000)
        {
            var kind = calendar.KindOf(date);
            if (kind == DayKind.Unknown)
            {
                break;
            }

            if (kind.IsWorkday())
            {
                result.Add((date, session));
                remaining--;
            }

            if (session == Session.Morning)
            {
                session = Session.Afternoon;
            }
            else
            {
                session = Session.Morning;
                date = date.AddDays(1);
            }
        }

        return result;
    }

    internal static void Index(IReadOnlyList<LeaveRequest> events, WorkCalendar calendar,
        out Dictionary<int, LeaveRequest>? approved, out Dictionary<int, LeaveRequest>? requested)
    {
        approved = null;
        requested = null;
        if (events.Count == 0)
        {
            return;
        }

        foreach (var leave in Current(events))
        {
            if (leave.State is not (LeaveState.Approved or LeaveState.Requested))
            {
                continue;
            }

            foreach (var (date, session) in SessionsCovered(leave, calendar))
            {
                var key = ExcuseRule.Key(date, session);
                if (leave.State == LeaveState.Approved)
                {
                    (approved ??= []).TryAdd(key, leave);
                }
                else
                {
                    (requested ??= []).TryAdd(key, leave);
                }
            }
        }
    }
}
