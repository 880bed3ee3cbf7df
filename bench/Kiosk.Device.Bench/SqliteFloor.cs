using System.Diagnostics;
using Kiosk.Device.Journal;

namespace Kiosk.Device.Bench;

/// <summary>The physical floor: one INSERT + COMMIT of a row of the journal's size, with the journal's settings
/// (WAL, synchronous=FULL) on the same disk. Nothing the kiosk does per punch can be cheaper than this fsync.</summary>
internal static class SqliteFloor
{
    public static double[] Measure(string directory, int count)
    {
        var path = Path.Combine(directory, "floor-" + Guid.NewGuid().ToString("N")[..8] + ".db");
        using var connection = JournalSchema.Open(path);
        JournalSchema.Execute(connection, "CREATE TABLE IF NOT EXISTS t (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)");
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (seq, body) VALUES ($s, $b)";
        var seq = insert.Parameters.Add("$s", Microsoft.Data.Sqlite.SqliteType.Integer);
        var body = insert.Parameters.Add("$b", Microsoft.Data.Sqlite.SqliteType.Text);
        insert.Prepare();
        var payload = new string('x', 520); // about one sealed punch envelope
        // The same warm-up the punch path gets (JIT, the roster write, the first growth of the WAL): 200 rows not timed.
        const int WarmUp = 200;
        var samples = new double[count + WarmUp];
        for (var i = 0; i < count + WarmUp; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                insert.Transaction = transaction;
                seq.Value = i + 1;
                body.Value = payload;
                insert.ExecuteNonQuery();
                transaction.Commit();
            }

            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return samples[WarmUp..];
    }
}
