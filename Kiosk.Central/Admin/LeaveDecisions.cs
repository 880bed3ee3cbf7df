using System.Globalization;
using Kiosk.Central.Roster;
using Kiosk.Central.Store;
using Kiosk.Core.Events;
using Kiosk.Core.Leave;
using Kiosk.Core.Settings;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Admin;

/// <summary>Leave along the approval ladder of the rules core (policy, "Leave"; LeaveLadder). Every step is a new
/// LeaveRequest event with the same LeaveId (the latest wins); the ladder's approvers sign in order, and only the
/// last one's approval turns the state to Approved — only approved leave covers a session (issue 2 §5).</summary>
internal static class LeaveDecisions
{
    public static LeaveRequest Request(SqliteConnection db, RulesSettings settings, string workerId, LeaveType type, DateOnly start,
        Session startSession, int halfDays, string requestedBy, string? reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (halfDays is < 1 or > 400)
        {
            throw new AdminException($"--half-days: {halfDays} is not 1–400 half-days");
        }

        var worker = Lookup.Worker(db, workerId);
        var ladder = new LeaveLadder(settings.LeaveLadder);
        var role = RosterMapping.RoleOf(worker.Role);
        var final = ladder.FinalApprover(ladder.MinutesOf(halfDays), role);
        var id = string.Create(CultureInfo.InvariantCulture, $"L{now:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..6]}");
        var leave = new LeaveRequest(id, worker.WorkerId, type, start, startSession, halfDays, LeaveState.Requested,
            RosterMapping.NameOf(final), null, requestedBy, reason, now);
        CentreEventLog.Append(db, worker.Office, worker.WorkerId, leave, requestedBy, now);
        return leave;
    }

    /// <summary>Approve (one step) or refuse. Returns the new latest state of the leave.</summary>
    public static LeaveRequest Decide(SqliteConnection db, RulesSettings settings, string leaveId, string decidedBy, bool approve,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (office, current, steps) = Find(db, leaveId);
        if (current.State != LeaveState.Requested)
        {
            throw new AdminException($"leave {leaveId} is already {current.State}; request a new leave instead");
        }

        var decider = Lookup.Worker(db, decidedBy);
        if (string.Equals(decider.WorkerId, current.WorkerId, StringComparison.Ordinal))
        {
            throw new AdminException($"--by: '{decidedBy}' cannot decide their own leave");
        }

        var requester = Lookup.Worker(db, current.WorkerId);
        var ladder = new LeaveLadder(settings.LeaveLadder);
        var approvers = ladder.ApproversFor(current, RosterMapping.RoleOf(requester.Role));
        var next = approvers[Math.Min(steps, approvers.Count - 1)];
        var deciderRole = RosterMapping.RoleOf(decider.Role);
        if (deciderRole != next)
        {
            throw new AdminException(string.Create(CultureInfo.InvariantCulture,
                $"--by: '{decidedBy}' is {decider.Role}; leave {leaveId} ({current.HalfDays} half-days, ladder '{ladder.Name}') now waits for {RosterMapping.NameOf(next)}"));
        }

        var isLast = steps >= approvers.Count - 1;
        var state = !approve ? LeaveState.Refused : isLast ? LeaveState.Approved : LeaveState.Requested;
        var decided = current with { State = state, DecidedBy = decider.WorkerId, ApproverRole = RosterMapping.NameOf(deciderRole), At = now };
        CentreEventLog.Append(db, office, current.WorkerId, decided, decider.WorkerId, now);
        return decided;
    }

    /// <summary>销假 / withdrawal: the leave stops covering anything from now on the record.</summary>
    public static LeaveRequest Cancel(SqliteConnection db, string leaveId, string cancelledBy, DateTimeOffset now)
    {
        var (office, current, _) = Find(db, leaveId);
        if (current.State is LeaveState.Cancelled or LeaveState.Refused)
        {
            throw new AdminException($"leave {leaveId} is already {current.State}");
        }

        var cancelled = current with { State = LeaveState.Cancelled, DecidedBy = cancelledBy, At = now };
        CentreEventLog.Append(db, office, current.WorkerId, cancelled, cancelledBy, now);
        return cancelled;
    }

    private static (string Office, LeaveRequest Current, int ApprovalSteps) Find(SqliteConnection db, string leaveId)
    {
        var history = CentreEventLog.Load(db, kind: "leave")
            .Where(e => string.Equals(((LeaveRequest)e.Event).LeaveId, leaveId, StringComparison.Ordinal))
            .ToList();
        if (history.Count == 0)
        {
            throw new AdminException($"no leave with id '{leaveId}' (list them with: leave list)");
        }

        var steps = history.Count(e => e.Event is LeaveRequest { State: LeaveState.Requested, DecidedBy: not null });
        return (history[^1].OfficeId, (LeaveRequest)history[^1].Event, steps);
    }
}
