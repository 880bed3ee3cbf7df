using Kiosk.Core.Calendar;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Core.Settings;

namespace Kiosk.Device.Configuration;

/// <summary>What the kiosk knows about its office (attendance-policy.md, "What the kiosk must therefore know"):
/// roster, rules settings (schedule), calendar and approved leave. Immutable: a new configuration from the
/// centre replaces the whole snapshot at once, so a punch never sees half of an update.</summary>
internal sealed record OfficeState(
    string Version,
    OfficeRoster Roster,
    RulesSettings Settings,
    WorkCalendar Calendar,
    IReadOnlyList<LeaveRequest> ApprovedLeave)
{
    public static OfficeState Empty(string officeId) =>
        new("none", new OfficeRoster(officeId, "none", [], []), RulesSettings.Default, WorkCalendar.BuiltIn, []);

    /// <summary>Approved leave (or an approved outing recorded as leave) covering the date's session.</summary>
    public LeaveRequest? LeaveOn(string workerId, DateOnly date, Session session)
    {
        foreach (var leave in ApprovedLeave)
        {
            if (leave.State != LeaveState.Approved || !string.Equals(leave.WorkerId, workerId, StringComparison.Ordinal))
            {
                continue;
            }

            // Leave counts working half-days from its start (LeaveRequest doc); walk the calendar to find them.
            var day = leave.Start;
            var current = leave.StartSession;
            for (var i = 0; i < leave.HalfDays && i < 2000; i++)
            {
                while (!Calendar.KindOf(day).IsWorkday() && Calendar.KindOf(day) != DayKind.Unknown)
                {
                    day = day.AddDays(1);
                    current = Session.Morning;
                }

                if (day == date && current == session)
                {
                    return leave;
                }

                if (day > date)
                {
                    break;
                }

                (day, current) = current == Session.Morning ? (day, Session.Afternoon) : (day.AddDays(1), Session.Morning);
            }
        }

        return null;
    }
}
