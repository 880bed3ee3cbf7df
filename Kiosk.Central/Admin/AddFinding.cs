using Kiosk.Central.Store;
using Kiosk.Core.Events;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Admin;

/// <summary>脱岗 found during one of the sub-district's twice-monthly inspections (policy, "Scoring and consequences";
/// issue 6). It is a new centre event; the scorer deducts for it per the deduction table.</summary>
internal static class AddFinding
{
    public static long Run(SqliteConnection db, string workerId, DateOnly date, Session session, string inspector, string? note,
        DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(inspector))
        {
            throw new AdminException("--inspector: name the inspector who found the worker off post");
        }

        var worker = Lookup.Worker(db, workerId);
        var finding = new InspectionFinding(worker.WorkerId, date, session, inspector, note, now);
        return CentreEventLog.Append(db, worker.Office, worker.WorkerId, finding, inspector, now);
    }
}
