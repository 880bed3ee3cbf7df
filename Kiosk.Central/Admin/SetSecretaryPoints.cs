using Kiosk.Central.Store;
using Kiosk.Core.Events;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Admin;

/// <summary>The secretary's 0–20 points for a worker for a month (policy, "Scoring": "20 points are the community
/// secretary's to give"). Only the secretary of the worker's own office may give them (issue 6). The secretary does
/// not score themselves: their own points are entered by the community-building section (社区建设科), which manages
/// all communities — a choice documented in docs/central.md because the policy is silent.</summary>
internal static class SetSecretaryPoints
{
    public static long Run(SqliteConnection db, string workerId, int year, int month, int points, string givenBy,
        decimal maxPoints, DateTimeOffset now)
    {
        if (points < 0 || points > maxPoints)
        {
            throw new AdminException($"--points: {points} is outside 0–{maxPoints} (the secretary's share of the 100 points)");
        }

        var worker = Lookup.Worker(db, workerId);
        var giver = Lookup.Worker(db, givenBy);
        var isOwnSecretary = giver.Role == "secretary" && string.Equals(giver.Office, worker.Office, StringComparison.Ordinal);
        var isSectionForSecretary = worker.Role == "secretary" && giver.Role == "section";
        if (string.Equals(giver.WorkerId, worker.WorkerId, StringComparison.Ordinal))
        {
            throw new AdminException($"--by: '{givenBy}' cannot give points to themselves; the community-building section enters a secretary's points");
        }

        if (!isOwnSecretary && !isSectionForSecretary)
        {
            throw new AdminException(
                $"--by: '{givenBy}' ({giver.Role}, office {giver.Office}) is not the secretary of office '{worker.Office}'; only that secretary gives these points");
        }

        var ev = new SecretaryPoints(worker.WorkerId, year, month, points, giver.WorkerId, now);
        return CentreEventLog.Append(db, worker.Office, worker.WorkerId, ev, giver.WorkerId, now);
    }
}
