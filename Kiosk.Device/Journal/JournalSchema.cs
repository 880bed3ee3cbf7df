using Microsoft.Data.Sqlite;

namespace Kiosk.Device.Journal;

/// <summary>Opening connections and versioned migrations of the journal file (architecture decision 2).
/// The writer's connection gets WAL and synchronous=FULL: WAL alone with the default NORMAL can lose the last commits
/// on power loss, and a shown "签到成功" must survive a power cut. A reader's connection is opened read-only and gets
/// only what matters to reading (busy timeout, cache size): it cannot write, so synchronous means nothing to it.</summary>
internal static class JournalSchema
{
    /// <summary>Ordered migrations; index + 1 is the schema version kept in PRAGMA user_version.
    /// Never edit a shipped step: append a new one.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE journal (
            seq INTEGER PRIMARY KEY,
            segment INTEGER NOT NULL,
            kind TEXT NOT NULL,
            worker_id TEXT,
            local_date TEXT NOT NULL,
            local_time TEXT NOT NULL,
            utc_offset_min INTEGER NOT NULL,
            boot_id TEXT NOT NULL,
            monotonic_ms INTEGER NOT NULL,
            clock TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            envelope TEXT NOT NULL,
            outbox_state TEXT NOT NULL DEFAULT 'pending' CHECK (outbox_state IN ('pending', 'sent', 'acked')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_attempt_utc TEXT,
            acked_utc TEXT
        );
        CREATE INDEX journal_day ON journal(local_date, worker_id);
        CREATE INDEX journal_outbox ON journal(outbox_state, seq);
        CREATE TABLE chain_breaks (seq INTEGER PRIMARY KEY, reason TEXT NOT NULL, detected_utc TEXT NOT NULL);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
        """
        CREATE TABLE office_config (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version TEXT NOT NULL,
            json TEXT NOT NULL,
            received_utc TEXT NOT NULL
        );
        """,
        // 3: the outbox bookkeeping moves to its own narrow table (one row per event, state and attempts, written in
        // the punch's transaction). Marking 500 rows sent or acked rewrote 500 whole journal rows (~700 bytes each)
        // and an index on the state: ~10 µs per event each way, most of the device's cost when draining a backlog
        // (bench/Kiosk.Sync.Bench). Rows below meta acked_through_seq are all acked, so every update is a seq range.
        """
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'acked')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_attempt_utc TEXT,
            acked_utc TEXT
        );
        INSERT INTO outbox (seq, state, attempts, last_attempt_utc, acked_utc)
            SELECT seq, outbox_state, attempts, last_attempt_utc, acked_utc FROM journal;
        DROP INDEX journal_outbox;
        ALTER TABLE journal DROP COLUMN outbox_state;
        ALTER TABLE journal DROP COLUMN attempts;
        ALTER TABLE journal DROP COLUMN last_attempt_utc;
        ALTER TABLE journal DROP COLUMN acked_utc;
        """,
        // 4: the outbox row keeps its size from the punch to the acknowledgement: state as a small integer (OutboxState:
        // 0 pending, 1 sent, 2 acked) and the times as Unix milliseconds (UTC). With text ('pending' → 'acked' and two
        // 28-character timestamps appearing) each row grew about sixfold when acknowledged, so the acknowledgement
        // rewrote and split every page of the range: 2.4–3.2 µs per row against 0.7 (sqlite3 shell, 100,000 rows in
        // ranges of 2,000, as a drain writes them). The view outbox_text shows the rows as before, for people.
        """
        CREATE TABLE outbox_v4 (
            seq INTEGER PRIMARY KEY,
            state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2)),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_attempt_ms INTEGER,
            acked_ms INTEGER
        );
        INSERT INTO outbox_v4 (seq, state, attempts, last_attempt_ms, acked_ms)
            SELECT seq, CASE state WHEN 'pending' THEN 0 WHEN 'sent' THEN 1 ELSE 2 END, attempts,
                CAST(round((julianday(last_attempt_utc) - 2440587.5) * 86400000.0) AS INTEGER),
                CAST(round((julianday(acked_utc) - 2440587.5) * 86400000.0) AS INTEGER)
            FROM outbox;
        DROP TABLE outbox;
        ALTER TABLE outbox_v4 RENAME TO outbox;
        CREATE VIEW outbox_text AS
            SELECT seq, CASE state WHEN 0 THEN 'pending' WHEN 1 THEN 'sent' ELSE 'acked' END AS state, attempts,
                strftime('%Y-%m-%dT%H:%M:%fZ', last_attempt_ms / 1000.0, 'unixepoch') AS last_attempt_utc,
                strftime('%Y-%m-%dT%H:%M:%fZ', acked_ms / 1000.0, 'unixepoch') AS acked_utc
            FROM outbox;
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>Page cache per connection, as SQLite's negative cache_size (KiB).</summary>
    private const string CacheKibibytes = "-256";

    /// <summary>Opens the journal file. <paramref name="readOnly"/>: only after a writer's connection to the same file is
    /// open in this process. A read-only connection to a WAL file needs the -wal and -shm files to exist already (or
    /// a writable directory); the writer's open and first transaction create them (sqlite.org/wal.html, "Read-Only
    /// Databases"). Close readers before the writer: the last connection to close checkpoints and deletes the WAL,
    /// which a read-only one cannot do.</summary>
    public static SqliteConnection Open(string path, bool readOnly = false)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 10,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        // journal_mode is persistent in the file (the writer sets it), and a read-only connection cannot switch it;
        // synchronous only affects commits, which a read-only connection never makes. busy_timeout and cache_size are
        // per connection and matter to every one. cache_size: SQLite's default page cache (2 MB per connection) fills
        // as the journal grows and was most of the kiosk's memory growth over 10,000 punches (bench/Kiosk.Device.Bench);
        // the hot pages of an append-only journal are few, and the OS page cache still holds the rest.
        Execute(connection, readOnly
            ? "PRAGMA busy_timeout=10000; PRAGMA cache_size=" + CacheKibibytes + ";"
            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA cache_size=" + CacheKibibytes + ";");
        return connection;
    }

    /// <summary>Brings the file to the latest schema, one transaction per step, so a power cut during a
    /// migration leaves the previous version intact.</summary>
    public static void Migrate(SqliteConnection connection)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The journal has schema version {version}, newer than this program knows ({Migrations.Length}). Install the newer kiosk version again instead of downgrading.");
        }

        for (var step = version; step < Migrations.Length; step++)
        {
            using var transaction = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = Migrations[step];
                command.ExecuteNonQuery();
            }

            using (var bump = connection.CreateCommand())
            {
                bump.Transaction = transaction;
                // PRAGMA takes no parameters; the value is an integer we computed.
                bump.CommandText = "PRAGMA user_version = " + (step + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                bump.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
