using System.Text.Json.Serialization;

namespace Kiosk.Core.Roster;

/// <summary>Policy, "Who is involved": when the secretary is away the deputy runs sign-in; when both are away
/// the secretary names one person (考勤负责人) to run it. Away periods and named persons are data with dates
/// (inclusive) pushed by the centre.</summary>
public sealed record Delegation(string OfficeId, DelegationKind Kind, string WorkerId, DateOnly From, DateOnly To, string? NamedBy)
{
    public bool Covers(DateOnly date) => date >= From && date <= To;
}

[JsonConverter(typeof(JsonStringEnumConverter<DelegationKind>))]
public enum DelegationKind
{
    /// <summary>WorkerId (a secretary or deputy) is away on these dates.</summary>
    Away,

    /// <summary>WorkerId is the named attendance officer on these dates (named by NamedBy, the secretary).</summary>
    AttendanceOfficer,
}

/// <summary>An office's roster as the centre publishes it (versioned, cached by the kiosk).</summary>
public sealed record OfficeRoster(string OfficeId, string Version, IReadOnlyList<Worker> Workers, IReadOnlyList<Delegation> Delegations)
{
    public Worker? FindByBadge(string badgeId)
    {
        foreach (var w in Workers)
        {
            if (w.HasBadge(badgeId))
            {
                return w;
            }
        }

        return null;
    }

    public Worker? FindById(string workerId)
    {
        foreach (var w in Workers)
        {
            if (string.Equals(w.Id, workerId, StringComparison.Ordinal))
            {
                return w;
            }
        }

        return null;
    }
}
