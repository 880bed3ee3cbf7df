using System.Text.Json.Serialization;

namespace Kiosk.Core.Roster;

/// <summary>One person on an office's roster (attendance-policy.md, "Who is involved"; issue 6 roster CSV:
/// name, badge number, office, role, employed from/to, finger slots). Shared by the kiosk and the centre.
/// A lost badge is re-issued, so a worker may hold several badge ids over time; only the ids listed are valid.
/// Finger slots are module slot numbers, never templates (architecture decision 8).</summary>
public sealed record Worker(
    string Id,
    string Name,
    IReadOnlyList<string> BadgeIds,
    string OfficeId,
    Role Role,
    DateOnly EmployedFrom,
    DateOnly? EmployedTo,
    IReadOnlyList<int> FingerSlots,
    string? PinHash = null)
{
    /// <summary>Policy: attendance is required only while employed; EmployedTo is the last working day (inclusive).</summary>
    public bool IsEmployedOn(DateOnly date) => date >= EmployedFrom && (EmployedTo is null || date <= EmployedTo.Value);

    public bool HasBadge(string badgeId)
    {
        foreach (var b in BadgeIds)
        {
            if (string.Equals(b, badgeId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Roles named by the policy. Worker, Secretary (书记), DeputySecretary (副书记), AttendanceOfficer
/// (考勤负责人, named by the secretary with dates, see <see cref="Delegation"/>) belong to an office;
/// CommunityBuildingSection (社区建设科), LeaderInCharge (分管领导) and Head (正职领导) are sub-district roles
/// that approve leave.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Role>))]
public enum Role { Worker, Secretary, DeputySecretary, AttendanceOfficer, CommunityBuildingSection, LeaderInCharge, Head }
