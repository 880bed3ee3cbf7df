using System.Globalization;
using Kiosk.Central.Store;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Admin;

/// <summary>A public notice (通报批评) against a worker (policy: "a worker noticed more than N times a year is graded
/// 不称职"). Counted by the year view. Notices are not AttendanceEvents, so they live in their own table.</summary>
internal static class AddNotice
{
    public static void Run(SqliteConnection db, string workerId, DateOnly date, string text, string enteredBy, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new AdminException("--text: say what the notice is for");
        }

        var worker = Lookup.Worker(db, workerId);
        using var command = CentralDb.Command(db, """
            INSERT INTO notices(office_id, worker_id, date, text, entered_by, entered_at) VALUES ($o, $w, $d, $x, $by, $t)
            """, null, ("$o", worker.Office), ("$w", worker.WorkerId), ("$d", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("$x", text), ("$by", enteredBy), ("$t", now.ToString("O", CultureInfo.InvariantCulture)));
        command.ExecuteNonQuery();
    }

    /// <summary>Notices per worker within a year.</summary>
    public static IReadOnlyDictionary<string, int> CountByWorker(SqliteConnection db, int year)
    {
        using var command = CentralDb.Command(db, "SELECT worker_id, COUNT(*) FROM notices WHERE substr(date, 1, 4) = $y GROUP BY worker_id",
            null, ("$y", year.ToString("D4", CultureInfo.InvariantCulture)));
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }
}
