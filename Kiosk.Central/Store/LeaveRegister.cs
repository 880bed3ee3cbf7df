using Kiosk.Core.Events;
using Kiosk.Core.Verdicts;
using Kiosk.Sync.Centre;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Store;

/// <summary>One leave event with the office it belongs to.</summary>
internal sealed record LeaveEntry(string OfficeId, LeaveRequest Leave);

/// <summary>The centre's leave register (请销假登记): every LeaveRequest event the centre holds, from both places it
/// arrives — leave registered on a kiosk in secretary mode (policy, "Leave": the attendance officer records it, the
/// centre approves it), which comes through the inbox into the events table like any journal row, and leave entered or
/// decided at the centre (centre_events). The current state of a leave is the rules core's
/// <see cref="LeaveCoverage.Current"/>, the same rule the scorer and the kiosk apply, so `leave list`, the published
/// config and the monthly report never disagree about a leave.</summary>
internal static class LeaveRegister
{
    /// <summary>Every leave event, the kiosks' first (in local time order) and then the centre's (in entry order): a
    /// decision at the centre always follows the request it decides, so on equal times the centre's wins
    /// (LeaveCoverage.Current breaks ties by list order).</summary>
    public static async Task<IReadOnlyList<LeaveEntry>> HistoryAsync(SqliteConnection db, string dbPath, string? officeId,
        CancellationToken ct)
    {
        // A leave request can be decided long after it was made, so the inbox is read without a time window.
        // The inbox has no read by event kind (Kiosk.Sync InboxReads): this reads the office's whole history once.
        var stored = await new InboxStore(dbPath, TimeProvider.System).ReadEventsAsync(officeId, DateTime.MinValue, DateTime.MaxValue, ct);
        var history = new List<LeaveEntry>();
        foreach (var e in stored)
        {
            if (e.Envelope.Event is LeaveRequest leave)
            {
                history.Add(new LeaveEntry(e.OfficeId, leave));
            }
        }

        foreach (var e in CentreEventLog.Load(db, officeId, EventKinds.All[typeof(LeaveRequest)]))
        {
            history.Add(new LeaveEntry(e.OfficeId, (LeaveRequest)e.Event));
        }

        return history;
    }

    /// <summary>The current state of every leave in <paramref name="history"/>, in the order first recorded; the
    /// office is the one the leave was first recorded for.</summary>
    public static IReadOnlyList<LeaveEntry> Current(IReadOnlyList<LeaveEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var offices = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in history)
        {
            offices.TryAdd(e.Leave.LeaveId, e.OfficeId);
        }

        return LeaveCoverage.Current(history.Select(e => e.Leave).ToList())
            .Select(leave => new LeaveEntry(offices[leave.LeaveId], leave))
            .ToList();
    }

    public static async Task<IReadOnlyList<LeaveEntry>> CurrentAsync(SqliteConnection db, string dbPath, string? officeId,
        CancellationToken ct) => Current(await HistoryAsync(db, dbPath, officeId, ct));
}
