using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Core.Settings;

namespace Kiosk.Core.Leave;

/// <summary>Who approves a leave or an outing (policy, "Leave": approval depends on length; "the approval
/// ladder is therefore data, not code"). The rungs come from <see cref="LeaveLadderSettings"/>: the first rung
/// whose bound holds the duration gives the approving roles, all of whom sign, in order.</summary>
public sealed class LeaveLadder
{
    private readonly LeaveLadderSettings _settings;

    public LeaveLadder(LeaveLadderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    public string Name => _settings.Name;

    /// <summary>Working minutes of a leave of so many half-days (policy counts leave in days; the kiosk in half-days).</summary>
    public int MinutesOf(int halfDays) => halfDays * _settings.WorkingMinutesPerDay / 2;

    /// <summary>The roles that must approve a leave of this length for a requester with this role.
    /// Policy: "The secretary's own leave always goes to the sub-district head" (SecretaryOwnLeave).</summary>
    public IReadOnlyList<Role> ApproversFor(int workingMinutes, Role requesterRole)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workingMinutes);
        if (requesterRole == Role.Secretary && _settings.SecretaryOwnLeave is { Count: > 0 } own)
        {
            return own;
        }

        foreach (var rung in _settings.Rungs)
        {
            if (rung.UpToMinutes is not { } up
                || workingMinutes < up
                || (rung.Inclusive && workingMinutes == up))
            {
                return rung.Approvers;
            }
        }

        // The validator guarantees an open-ended last rung; a ladder that skipped validation has no answer.
        throw new InvalidOperationException($"Leave ladder '{_settings.Name}' has no rung for {workingMinutes} minutes");
    }

    public IReadOnlyList<Role> ApproversFor(LeaveRequest leave, Role requesterRole)
    {
        ArgumentNullException.ThrowIfNull(leave);
        return ApproversFor(MinutesOf(leave.HalfDays), requesterRole);
    }

    public IReadOnlyList<Role> ApproversFor(Outing outing, Role requesterRole)
    {
        ArgumentNullException.ThrowIfNull(outing);
        return ApproversFor((int)Math.Ceiling(outing.Duration.TotalMinutes), requesterRole);
    }

    /// <summary>The role whose decision completes the approval (the last in the chain): what LeaveRequest.ApproverRole records.</summary>
    public Role FinalApprover(int workingMinutes, Role requesterRole) => ApproversFor(workingMinutes, requesterRole)[^1];

    /// <summary>Whether this role appears anywhere on the leave's ladder. It does not say whose turn it is: the centre
    /// (LeaveDecisions) walks <see cref="ApproversFor(int, Role)"/> in order, one approver after the other.</summary>
    public bool MayApprove(Role approverRole, int workingMinutes, Role requesterRole) =>
        ApproversFor(workingMinutes, requesterRole).Contains(approverRole);
}
