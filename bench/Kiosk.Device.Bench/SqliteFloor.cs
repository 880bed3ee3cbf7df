using System.Diagnostics;
using Kiosk.Device.Journal;
using Microsoft.Data.Sqlite;

namespace Kiosk.Device.Bench;

/// <summary>The physical floor: one INSERT + COMMIT of a row of the journal's size, with the journal's settings
/// (WAL, synchronous=FULL) on the same disk. Nothing the kiosk does per punch can be cheaper than this fsync.
/// The punch path takes one floor sample after each punch, so both see the same disk and the same load from the
/// other processes on this shared machine (measured one after the other, a busy minute lands on only one side).</summary>
internal sealed class SqliteFloor : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly SqliteCommand insert;
    private readonly SqliteParameter seq;
    private readonly SqliteParameter body;
    private readonly string payload = new('x', 520); // about one sealed punch envelope
    private readonly List<double> samples = [];
    private int next;

    public SqliteFloor(string directory)
    {
        var path = Path.Combine(directory, "floor-" + Guid.NewGuid().ToString("N")[..8] + ".db");
        connection = JournalSchema.Open(path);
        JournalSchema.Execute(connection, "CREATE TABLE IF NOT EXISTS t (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)");
        insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (seq, body) VALUES ($s, $b)";
        seq = insert.Parameters.Add("$s", SqliteType.Integer);
        body = insert.Parameters.Add("$b", SqliteType.Text);
        insert.Prepare();
    }

    /// <summary>The samples taken since the last <see cref="Reset"/>, in milliseconds.</summary>
    public double[] Samples => [.. samples];

    /// <summary>Forgets the warm-up samples (JIT, the first growth of the WAL).</summary>
    public void Reset() => samples.Clear();

    public void InsertOne()
    {
        var start = Stopwatch.GetTimestamp();
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            insert.Transaction = transaction;
            seq.Value = ++next;
            body.Value = payload;
            insert.ExecuteNonQuery();
            transaction.Commit();
        }

        samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    public void Dispose()
    {
        insert.Dispose();
        connection.Dispose();
    }
}
