using System.Globalization;
using Kiosk.Core.Events;
using Kiosk.Device.Clock;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Journal;

internal sealed record JournalOptions(string Path, string OfficeId, string DeviceId, int RetentionDays = 400);

/// <summary>The last row of the chain: where the next row continues.</summary>
internal sealed record JournalHead(long Sequence, string Hash, int Segment);

/// <summary>The journal: the truth on the device (architecture decision 2). One SQLite file; one connection
/// kept open for writes so a punch costs two prepared INSERTs (its row, its outbox row) and one COMMIT (fsync) and
/// nothing else. Each row is sealed into the hash chain and gets its outbox state in the same transaction.</summary>
internal sealed partial class EventJournal : IDisposable
{
    private const string InsertSql = """
        INSERT INTO journal (seq, segment, kind, worker_id, local_date, local_time, utc_offset_min, boot_id,
                             monotonic_ms, clock, prev_hash, hash, envelope)
        VALUES ($seq, $segment, $kind, $worker, $date, $time, $offset, $boot, $mono, $clock, $prev, $hash, $env)
        """;

    private readonly JournalOptions options;
    private readonly ILogger log;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly Lock readLock = new();
    private readonly SqliteConnection writer;
    private readonly SqliteConnection reader;
    private readonly SqliteCommand insert;
    private readonly SqliteCommand insertOutbox;
    private JournalHead head;
    private long ackedThrough;

    private EventJournal(JournalOptions options, ILogger log)
    {
        this.options = options;
        this.log = log;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        writer = JournalSchema.Open(options.Path);
        JournalSchema.Migrate(writer);
        // Reads only (queries, the integrity check, the outbox's reads): read-only, opened once the writer has made
        // the file, its WAL and shared-memory index.
        reader = JournalSchema.Open(options.Path, readOnly: true);
        insert = writer.CreateCommand();
        insert.CommandText = InsertSql;
        foreach (var name in new[] { "$seq", "$segment", "$kind", "$worker", "$date", "$time", "$offset", "$boot", "$mono", "$clock", "$prev", "$hash", "$env" })
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        insert.Prepare();
        // The outbox row of the event (schema 3), in the same transaction. Its own prepared command: one command holding
        // both INSERTs left the kiosk 5 MB larger after 1,000 punches (bench/Kiosk.Device.Bench, VmRSS).
        insertOutbox = writer.CreateCommand();
        insertOutbox.CommandText = "INSERT INTO outbox (seq) VALUES ($seq)";
        insertOutbox.Parameters.Add(new SqliteParameter { ParameterName = "$seq" });
        insertOutbox.Prepare();
        head = ReadHead();
        ackedThrough = ReadMeta(writer, "acked_through_seq") is { } acked ? long.Parse(acked, CultureInfo.InvariantCulture) : 0;
    }

    public JournalOptions Options => options;

    public JournalHead Head => Volatile.Read(ref head);

    public string Path => options.Path;

    /// <summary>Raised after each commit (outside the lock): the outbox pump sends at once instead of polling.</summary>
    public event Action<JournalEnvelope>? Appended;

    /// <summary>Opens (creating and migrating if needed). Integrity is checked separately by JournalIntegrity,
    /// which needs a clock stamp to record what it finds.</summary>
    public static EventJournal Open(JournalOptions options, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new EventJournal(options, log);
    }

    /// <summary>Seals and commits one event. Returns only after COMMIT returned, i.e. after the fsync of
    /// synchronous=FULL: the caller may then show success (architecture decision 2).</summary>
    public async Task<JournalEnvelope> AppendAsync(AttendanceEvent evt, ClockStamp stamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(stamp);
        await writeLock.WaitAsync(cancellationToken);
        JournalEnvelope envelope;
        try
        {
            envelope = AppendLocked(evt, stamp);
        }
        finally
        {
            writeLock.Release();
        }

        Appended?.Invoke(envelope);
        return envelope;
    }

    private JournalEnvelope AppendLocked(AttendanceEvent evt, ClockStamp stamp)
    {
        var current = head;
        var restart = evt is ChainRestarted;
        var segment = restart ? current.Segment + 1 : current.Segment;
        var (envelope, json) = JournalSeal.Seal(new JournalEnvelope(options.OfficeId, options.DeviceId, current.Sequence + 1, evt,
            stamp.BootId, stamp.MonotonicMs, stamp.Quality, restart ? JournalHash.Genesis : current.Hash, string.Empty));
        using var transaction = writer.BeginTransaction(deferred: false);
        insert.Transaction = transaction;
        var p = insert.Parameters;
        p[0].Value = envelope.Sequence;
        p[1].Value = segment;
        p[2].Value = EventKinds.Of(evt);
        p[3].Value = (object?)JournalJson.WorkerOf(evt) ?? DBNull.Value;
        p[4].Value = evt.At.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        p[5].Value = JournalJson.LocalText(evt.At);
        p[6].Value = (long)evt.At.Offset.TotalMinutes;
        p[7].Value = stamp.BootId;
        p[8].Value = stamp.MonotonicMs;
        p[9].Value = stamp.Quality.ToString();
        p[10].Value = envelope.PrevHash;
        p[11].Value = envelope.Hash;
        p[12].Value = json;
        insert.ExecuteNonQuery();
        insertOutbox.Transaction = transaction;
        insertOutbox.Parameters[0].Value = envelope.Sequence;
        insertOutbox.ExecuteNonQuery();
        transaction.Commit();
        insert.Transaction = null;
        insertOutbox.Transaction = null;
        Volatile.Write(ref head, new JournalHead(envelope.Sequence, envelope.Hash, segment));
        return envelope;
    }

    /// <summary>Rows with sequence greater than <paramref name="afterSequence"/>, oldest first.</summary>
    public IReadOnlyList<JournalRow> ReadAfter(long afterSequence, int max) =>
        Query("SELECT * FROM journal WHERE seq > $a ORDER BY seq LIMIT $n", ("$a", afterSequence), ("$n", max));

    /// <summary>The rows of one kind on one office-local day (for the day board and duplicate detection after a restart).</summary>
    public IReadOnlyList<JournalRow> ReadDay(DateOnly date, string kind) =>
        Query("SELECT * FROM journal WHERE local_date = $d AND kind = $k ORDER BY seq",
            ("$d", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("$k", kind));

    /// <summary>First and last sequence of rows taken with an untrusted clock during one boot.</summary>
    public (long From, long To)? UntrustedRange(string bootId, long afterSequence) => ReadWith<(long, long)?>(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT MIN(seq), MAX(seq) FROM journal
            WHERE boot_id = $b AND clock = 'Untrusted' AND seq > $a AND kind != 'clock_correction'
            """;
        command.Parameters.AddWithValue("$b", bootId);
        command.Parameters.AddWithValue("$a", afterSequence);
        using var data = command.ExecuteReader();
        return data.Read() && !data.IsDBNull(0) ? (data.GetInt64(0), data.GetInt64(1)) : null;
    });

    internal IReadOnlyList<JournalRow> Query(string sql, params (string Name, object Value)[] parameters)
    {
        lock (readLock)
        {
            using var command = reader.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            using var data = command.ExecuteReader();
            var rows = new List<JournalRow>();
            while (data.Read())
            {
                rows.Add(ReadRow(data));
            }

            return rows;
        }
    }

    internal static JournalRow ReadRow(SqliteDataReader r) => new(
        r.GetInt64(r.GetOrdinal("seq")),
        r.GetInt32(r.GetOrdinal("segment")),
        r.GetString(r.GetOrdinal("kind")),
        r.IsDBNull(r.GetOrdinal("worker_id")) ? null : r.GetString(r.GetOrdinal("worker_id")),
        JournalJson.FromLocalText(r.GetString(r.GetOrdinal("local_time")), r.GetInt64(r.GetOrdinal("utc_offset_min"))),
        r.GetString(r.GetOrdinal("boot_id")),
        r.GetInt64(r.GetOrdinal("monotonic_ms")),
        Enum.Parse<ClockQuality>(r.GetString(r.GetOrdinal("clock"))),
        r.GetString(r.GetOrdinal("prev_hash")),
        r.GetString(r.GetOrdinal("hash")),
        r.GetString(r.GetOrdinal("envelope")));

    private JournalHead ReadHead()
    {
        using var command = writer.CreateCommand();
        command.CommandText = "SELECT * FROM journal ORDER BY seq DESC LIMIT 1";
        using var data = command.ExecuteReader();
        if (data.Read())
        {
            var row = ReadRow(data);
            return new JournalHead(row.Sequence, row.Hash, row.Segment);
        }

        // Every row may have been pruned: the sequence and chain continue from what pruning recorded.
        var prunedSeq = ReadMeta(writer, "pruned_through_seq");
        var prunedHash = ReadMeta(writer, "pruned_through_hash");
        return prunedSeq is null
            ? new JournalHead(0, JournalHash.Genesis, 0)
            : new JournalHead(long.Parse(prunedSeq, CultureInfo.InvariantCulture), prunedHash ?? JournalHash.Genesis, 0);
    }

    internal static string? ReadMeta(SqliteConnection connection, string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $k";
        command.Parameters.AddWithValue("$k", key);
        return command.ExecuteScalar() as string;
    }

    public void Dispose()
    {
        insert.Dispose();
        insertOutbox.Dispose();
        // The reader first: the last connection to close checkpoints and removes the WAL, which a read-only one cannot.
        reader.Dispose();
        writer.Dispose();
        writeLock.Dispose();
    }
}
