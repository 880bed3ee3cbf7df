using System.Globalization;
using Kiosk.Central.Roster;
using Kiosk.Central.Store;
using Kiosk.Core.Events;
using Kiosk.Core.Leave;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Admin;

/// <summary>Leave along the approval ladder of the rules core (policy, "Leave"; LeaveLadder). Every step is a new
/// LeaveRequest event with the same LeaveId (the latest wins); the ladder's approvers sign in order, and only the
/// last one's approval turns the state to Approved — only approved leave covers a session (issue 2 §5). A leave is
/// found in the whole register (LeaveRegister), so leave requested on a kiosk is decided here like leave requested at
/// the centre. Each office's own settings (its ladder) apply.</summary>
internal static class LeaveDecisions
{
    public static LeaveRequest Request(SqliteConnection db, string workerId, LeaveType type, DateOnly start,
        Session startSession, int halfDays, string requestedBy, string? reason, DateTimeOffset now)
    {
        if (halfDays is < 1 or > 400)
        {
            throw new AdminException($"--half-days: {halfDays} is not 1–400 half-days");
        }

        var worker = Lookup.Worker(db, workerId);
        var settings = SetSettings.For(db, worker.Office);
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
    public static async Task<LeaveRequest> DecideAsync(SqliteConnection db, string dbPath, string leaveId, string decidedBy, bool approve,
        DateTimeOffset now, CancellationToken ct)
    {
        var (office, current, steps) = await FindAsync(db, dbPath, leaveId, ct);
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
        var ladder = new LeaveLadder(SetSettings.For(db, office).LeaveLadder);
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
        var decided = current with
        {
            State = state, DecidedBy = decider.WorkerId, ApproverRole = RosterMapping.NameOf(deciderRole), At = NotBefore(now, current),
        };
        CentreEventLog.Append(db, office, current.WorkerId, decided, decider.WorkerId, now);
        return decided;
    }

    /// <summary>销假 / withdrawal: the leave stops covering anything from now on the record.</summary>
    public static async Task<LeaveRequest> CancelAsync(SqliteConnection db, string dbPath, string leaveId, string cancelledBy,
        DateTimeOffset now, CancellationToken ct)
    {
        var (office, current, _) = await FindAsync(db, dbPath, leaveId, ct);
        if (current.State is LeaveState.Cancelled or LeaveState.Refused)
        {
            throw new AdminException($"leave {leaveId} is already {current.State}");
        }

        var cancelled = current with { State = LeaveState.Cancelled, DecidedBy = cancelledBy, At = NotBefore(now, current) };
        CentreEventLog.Append(db, office, current.WorkerId, cancelled, cancelledBy, now);
        return cancelled;
    }

    /// <summary>The latest event by time is a leave's state (LeaveCoverage.Current). A kiosk's clock can run ahead of the
    /// centre's, so a decision is never stamped earlier than the event it decides, or the request would still win; the
    /// true entry time is kept in centre_events.entered_at.</summary>
    private static DateTimeOffset NotBefore(DateTimeOffset now, LeaveRequest current) => now > current.At ? now : current.At;

    private static async Task<(string Office, LeaveRequest Current, int ApprovalSteps)> FindAsync(SqliteConnection db, string dbPath,
        string leaveId, CancellationToken ct)
    {
        var history = (await LeaveRegister.HistoryAsync(db, dbPath, null, ct))
            .Where(e => string.Equals(e.Leave.LeaveId, leaveId, StringComparison.Ordinal))
            .ToList();
        if (history.Count == 0)
        {
            throw new AdminException($"no leave with id '{leaveId}' (list them with: leave list)");
        }

        // Intermediate approvals keep the state Requested and name who decided; the request itself names nobody.
        var steps = history.Count(e => e.Leave is { State: LeaveState.Requested, DecidedBy: not null });
        var current = LeaveRegister.Current(history)[0];
        return (current.OfficeId, current.Leave, steps);
    }
}
