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
}
