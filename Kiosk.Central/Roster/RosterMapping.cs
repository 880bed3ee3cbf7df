using Kiosk.Core.Roster;

namespace Kiosk.Central.Roster;

/// <summary>From the centre's roster rows to the core's shared roster types (Kiosk.Core/Roster): one Worker per
/// row, and a Delegation for each named attendance officer with dates (policy, "Who is involved": the secretary
/// names one person to run sign-in when both secretary and deputy are away).</summary>
internal static class RosterMapping
{
    public static Role RoleOf(string role) => role switch
    {
        "worker" => Role.Worker,
        "secretary" => Role.Secretary,
        "deputy" => Role.DeputySecretary,
        "attendance_officer" => Role.AttendanceOfficer,
        "section" => Role.CommunityBuildingSection,
        "leader" => Role.LeaderInCharge,
        "head" => Role.Head,
        _ => throw new ArgumentException($"unknown role '{role}'", nameof(role)),
    };

    public static string NameOf(Role role) => role switch
    {
        Role.Worker => "worker",
        Role.Secretary => "secretary",
        Role.DeputySecretary => "deputy",
        Role.AttendanceOfficer => "attendance_officer",
        Role.CommunityBuildingSection => "section",
        Role.LeaderInCharge => "leader",
        Role.Head => "head",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };

    public static Worker ToWorker(RosterRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new Worker(row.WorkerId, row.Name, [row.Badge], row.Office, RoleOf(row.Role), row.EmployedFrom, row.EmployedTo, row.FingerSlots);
    }

    /// <summary>Sub-district roles (section, leader, head) approve leave but sign in at no community office, so
    /// they are not scored; everyone else is.</summary>
    public static bool IsScored(RosterRow row) => row.Role is not ("section" or "leader" or "head");

    public static OfficeRoster ToOfficeRoster(string officeId, string version, IEnumerable<RosterRow> rows)
    {
        var list = rows.Where(r => string.Equals(r.Office, officeId, StringComparison.Ordinal)).ToList();
        var delegations = list
            .Where(r => r.Role == "attendance_officer" && r.RoleFrom is not null && r.RoleTo is not null)
            .Select(r => new Delegation(officeId, DelegationKind.AttendanceOfficer, r.WorkerId, r.RoleFrom!.Value, r.RoleTo!.Value,
                list.FirstOrDefault(s => s.Role == "secretary")?.WorkerId))
            .ToList();
        return new OfficeRoster(officeId, version, list.Select(ToWorker).ToList(), delegations);
    }
}
