using Microsoft.Data.Sqlite;

namespace Kiosk.Sync.Centre;

/// <summary>The inbox's tables in the central store (docs/protocol.md, "Centre store"). The central service calls
/// <see cref="MigrateAsync"/> on its own database file; it is idempotent and versioned by sync_schema.</summary>
public static class InboxSchema
{
    public const int Version = 3;

    /// <summary>An event's key in the v2 <c>events</c> table is <c>(device_no &lt;&lt; SequenceBits) | seq</c>: the
    /// (device, sequence) pair itself, unique as the table's rowid, so no separate unique index has to be written for
    /// every event. A device's events are one contiguous key range, in sequence order.</summary>
    internal const int SequenceBits = 40;

    /// <summary>The largest sequence that fits beside the device number in an event's key (~10^12: a kiosk punching
    /// once a second would need 34,000 years).</summary>
    internal const long MaxSequence = (1L << SequenceBits) - 1;

    /// <summary>The version-1 tables as they were created, kept as written: a new store starts from it, and a test builds
    /// a version-1 file with it.</summary>
    internal const string V1 = """
        CREATE TABLE IF NOT EXISTS sync_schema (version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS devices (
            device_id           TEXT PRIMARY KEY,
            office_id           TEXT NOT NULL,
            public_key_pem      TEXT NOT NULL,
            registered_at       TEXT NOT NULL,
            retired_at          TEXT,
            last_seen_at        TEXT,
            watermark_seq       INTEGER NOT NULL DEFAULT 0,
            watermark_event_at  TEXT,
            status_online       INTEGER,
            status_at           TEXT,
            complete_up_to      TEXT,
            complete_up_to_seq  INTEGER,
            queue_depth         INTEGER,
            oldest_unacked_at   TEXT,
            clock_state         TEXT,
            software_version    TEXT,
            config_version      TEXT,
            free_disk_bytes     INTEGER
        );
        CREATE INDEX IF NOT EXISTS devices_office ON devices(office_id);
        CREATE TABLE IF NOT EXISTS batches (
            batch_pk         INTEGER PRIMARY KEY,
            device_id        TEXT NOT NULL,
            batch_id         TEXT NOT NULL,
            signature        TEXT NOT NULL,
            signed_text      TEXT NOT NULL,
            source           TEXT NOT NULL,
            received_at      TEXT NOT NULL,
            UNIQUE (device_id, signature)
        );
        CREATE TABLE IF NOT EXISTS events (
            event_pk       INTEGER PRIMARY KEY,
            device_id      TEXT NOT NULL,
            seq            INTEGER NOT NULL,
            office_id      TEXT NOT NULL,
            kind           TEXT NOT NULL,
            local_at       TEXT NOT NULL,
            utc_offset_min INTEGER NOT NULL,
            hash           TEXT NOT NULL,
            envelope_json  TEXT NOT NULL,
            batch_pk       INTEGER NOT NULL REFERENCES batches(batch_pk),
            received_at    TEXT NOT NULL,
            UNIQUE (device_id, seq)
        );
        CREATE INDEX IF NOT EXISTS events_office_local ON events(office_id, local_at);
        CREATE TABLE IF NOT EXISTS rejections (
            id           INTEGER PRIMARY KEY,
            received_at  TEXT NOT NULL,
            topic        TEXT,
            office_id    TEXT,
            device_id    TEXT,
            batch_id     TEXT,
            reason       TEXT NOT NULL,
            detail       TEXT NOT NULL,
            payload      BLOB
        );
        """;

    /// <summary>v1 → v2: the narrower events row (2026-11). The unique (device_id, seq) index is replaced by the key
    /// described at <see cref="SequenceBits"/>, and the hash column goes: it is the envelope's own "hash" field, stored
    /// verbatim beside it. Each event's insert wrote three b-trees and ~80 bytes more before (docs/protocol.md,
    /// "Centre store"). Every device gets a permanent number for the key; the table is rebuilt in key order.</summary>
    private static readonly string V2 = $$"""
        ALTER TABLE devices ADD COLUMN device_no INTEGER;
        UPDATE devices SET device_no = (SELECT COUNT(*) FROM devices d WHERE d.device_id <= devices.device_id);
        CREATE UNIQUE INDEX devices_no ON devices(device_no);
        CREATE TABLE events_v2 (
            event_pk       INTEGER PRIMARY KEY,
            device_id      TEXT NOT NULL,
            seq            INTEGER NOT NULL,
            office_id      TEXT NOT NULL,
            kind           TEXT NOT NULL,
            local_at       TEXT NOT NULL,
            utc_offset_min INTEGER NOT NULL,
            envelope_json  TEXT NOT NULL,
            batch_pk       INTEGER NOT NULL REFERENCES batches(batch_pk),
            received_at    TEXT NOT NULL
        );
        INSERT INTO events_v2(event_pk, device_id, seq, office_id, kind, local_at, utc_offset_min, envelope_json, batch_pk, received_at)
            SELECT (d.device_no << {{SequenceBits}}) | e.seq, e.device_id, e.seq, e.office_id, e.kind, e.local_at,
                   e.utc_offset_min, e.envelope_json, e.batch_pk, e.received_at
            FROM events e JOIN devices d ON d.device_id = e.device_id
            ORDER BY 1;
        DROP TABLE events;
        ALTER TABLE events_v2 RENAME TO events;
        CREATE INDEX events_office_local ON events(office_id, local_at);
        """;

    /// <summary>v2 → v3: the (office_id, local_at) index, one more b-tree written for every event, gives way to one row
    /// per (office, office-local day, device) with the range of that device's event keys on that day, upserted once per
    /// stored batch (docs/protocol.md, "Centre store"). A device's events are one key range in sequence order, which is
    /// nearly time order: an office's day is read as a few key ranges, each event matched by its own day only (a clock
    /// set back can make two days' ranges of a device overlap). The index was ~0.7–0.9 of the ~3 µs of CPU an event's
    /// insert took (sqlite3 shell, 100,000 rows of this schema).</summary>
    private static readonly string V3 = $$"""
        CREATE TABLE event_days (
            office_id  TEXT NOT NULL,
            local_day  TEXT NOT NULL,
            device_no  INTEGER NOT NULL,
            first_pk   INTEGER NOT NULL,
            last_pk    INTEGER NOT NULL,
            PRIMARY KEY (office_id, local_day, device_no)
        ) WITHOUT ROWID;
        INSERT INTO event_days(office_id, local_day, device_no, first_pk, last_pk)
            SELECT office_id, substr(local_at, 1, 10), event_pk >> {{SequenceBits}}, MIN(event_pk), MAX(event_pk)
            FROM events GROUP BY 1, 2, 3;
        DROP INDEX IF EXISTS events_office_local;
        """;

    /// <remarks>page_size only takes effect on a file that does not exist yet, so it comes before journal_mode (which
    /// writes the header): a new central store gets 8 KiB pages, an existing one keeps its own. With 8 KiB pages an
    /// event's insert took ~3.7 instead of ~4.5 µs of CPU (sqlite3 shell, 100,000 rows of this schema): fewer b-tree
    /// splits and WAL frames for rows of ~600 bytes.</remarks>
    private const string CommonPragmas = "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";

    private const string ConnectionPragmas = CommonPragmas + " PRAGMA foreign_keys=ON;";

    /// <summary>The inbox's own write transaction inserts a batch's row and then its events pointing at it, so SQLite's
    /// per-row foreign-key lookup can never fail there and cost ~0.6 µs of the ~5 µs an event's insert takes (measured
    /// with the sqlite3 shell on this schema). Only that connection skips it; every other one, including the next user
    /// of the same pooled connection, gets <see cref="ConnectionPragmas"/>.</summary>
    private const string InboxWriterPragmas = CommonPragmas + " PRAGMA foreign_keys=OFF;";

    /// <summary>Opens a connection to the central store with the settings every connection needs: WAL,
    /// synchronous=FULL (per connection, decision 2), a busy timeout so several central processes can share the
    /// file. The centre's own administration opens the same file through this too.</summary>
    public static Task<SqliteConnection> OpenAsync(string databasePath, CancellationToken ct) =>
        OpenAsync(databasePath, ConnectionPragmas, ct);

    /// <summary>The connection of the inbox's write transaction (see <see cref="InboxWriterPragmas"/>).</summary>
    internal static Task<SqliteConnection> OpenInboxWriterAsync(string databasePath, CancellationToken ct) =>
        OpenAsync(databasePath, InboxWriterPragmas, ct);

    private static async Task<SqliteConnection> OpenAsync(string databasePath, string pragmas, CancellationToken ct)
    {
        var connection = new SqliteConnection(ConnectionString(databasePath));
        try
        {
            await connection.OpenAsync(ct);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = pragmas;
            await pragma.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The synchronous twin of <see cref="OpenAsync"/>, for command-line administration.</summary>
    public static SqliteConnection Open(string databasePath)
    {
        var connection = new SqliteConnection(ConnectionString(databasePath));
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = ConnectionPragmas;
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string ConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>Creates or upgrades the inbox tables in <paramref name="databasePath"/>.</summary>
    public static async Task MigrateAsync(string databasePath, CancellationToken ct)
    {
        await using var connection = await OpenAsync(databasePath, ct);
        await MigrateAsync(connection, ct);
    }

    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using (var version = connection.CreateCommand())
        {
            version.Transaction = tx;
            version.CommandText = "CREATE TABLE IF NOT EXISTS sync_schema (version INTEGER NOT NULL); SELECT COALESCE(MAX(version), 0) FROM sync_schema";
            var current = Convert.ToInt32(await version.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            if (current > Version)
            {
                throw new InvalidOperationException(
                    $"the central store has sync schema {current}, newer than this program's {Version}: upgrade the program");
            }

            // A new store starts from version 1's tables and goes through every step. Only then: run on a newer store,
            // version 1's "IF NOT EXISTS" would put back the index that version 3 dropped.
            if (current == 0)
            {
                version.CommandText = V1;
                await version.ExecuteNonQueryAsync(ct);
            }

            if (current < 2)
            {
                await MigrateToV2Async(connection, tx, ct);
            }

            if (current < 3)
            {
                version.CommandText = V3;
                await version.ExecuteNonQueryAsync(ct);
            }

            if (current < Version)
            {
                version.CommandText = $"DELETE FROM sync_schema; INSERT INTO sync_schema(version) VALUES ({Version})";
                await version.ExecuteNonQueryAsync(ct);
            }
        }

        await tx.CommitAsync(ct);
    }

    private static async Task MigrateToV2Async(SqliteConnection connection, SqliteTransaction tx, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COUNT(*) FROM events";
        var before = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        cmd.CommandText = V2;
        await cmd.ExecuteNonQueryAsync(ct);
        cmd.CommandText = "SELECT COUNT(*) FROM events";
        var after = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        if (after != before)
        {
            // Only events of a device missing from the devices table can be left out; throwing rolls the whole upgrade
            // back and the store stays at v1, untouched.
            throw new InvalidOperationException(
                $"upgrading the central store to sync schema 2 would keep {after} of its {before} events: some belong to no registered device");
        }
    }
}
