using Kiosk.Central.Roster;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Admin;

/// <summary>Finding the roster rows an administration command names, with an error that says what was not found.</summary>
internal static class Lookup
{
    public static RosterRow Worker(SqliteConnection db, string workerId) =>
        RosterStore.Find(db, workerId)
        ?? throw new AdminException($"worker '{workerId}' is not on the roster (import it with: roster import <file.csv>)");
}
