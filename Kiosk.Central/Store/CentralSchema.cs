using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Store;

/// <summary>The centre's own tables, beside the sync inbox's (devices, events, rejections — docs/protocol.md).
/// The version lives in our own table, not in PRAGMA user_version, because the inbox's migration may use that.
/// Raw facts are append-only (issue 6: "raw events are kept as received and never edited; a correction is a
/// new event"): triggers refuse UPDATE and DELETE on centre_events, so a bug cannot rewrite history.</summary>
internal static class CentralSchema
{
    public const int Version = 1;

    private const string V1 = """
        CREATE TABLE IF NOT EXISTS central_schema (version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS offices (
            office_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS workers (
            worker_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            badge TEXT NOT NULL UNIQUE,
            office_id TEXT NOT NULL,
            role TEXT NOT NULL,
            role_from TEXT NULL,
            role_to TEXT NULL,
            employed_from TEXT NOT NULL,
            employed_to TEXT NULL,
            finger_slots TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS workers_office ON workers(office_id);
        CREATE TABLE IF NOT EXISTS centre_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            office_id TEXT NOT NULL,
            worker_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            entered_by TEXT NOT NULL,
            entered_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS centre_events_office ON centre_events(office_id, kind);
        CREATE TRIGGER IF NOT EXISTS centre_events_no_update BEFORE UPDATE ON centre_events
            BEGIN SELECT RAISE(ABORT, 'centre_events is append-only: record a correcting event instead'); END;
        CREATE TRIGGER IF NOT EXISTS centre_events_no_delete BEFORE DELETE ON centre_events
            BEGIN SELECT RAISE(ABORT, 'centre_events is append-only: record a correcting event instead'); END;
        CREATE TABLE IF NOT EXISTS notices (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            office_id TEXT NOT NULL,
            worker_id TEXT NOT NULL,
            date TEXT NOT NULL,
            text TEXT NOT NULL,
            entered_by TEXT NOT NULL,
            entered_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS settings_versions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            office_id TEXT NOT NULL,
            json TEXT NOT NULL,
            set_by TEXT NOT NULL,
            set_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS calendar_versions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            year INTEGER NOT NULL,
            json TEXT NOT NULL,
            imported_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS config_versions (
            office_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            json TEXT NOT NULL,
            published_at TEXT NOT NULL,
            PRIMARY KEY (office_id, version));
        CREATE TABLE IF NOT EXISTS device_credentials (
            device_id TEXT PRIMARY KEY,
            office_id TEXT NOT NULL,
            username TEXT NOT NULL,
            created_at TEXT NOT NULL,
            retired_at TEXT NULL);
        """;

    /// <summary>Creates or upgrades the centre's tables; idempotent, safe to call on every start.</summary>
    public static void Migrate(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var transaction = connection.BeginTransaction();
        CentralDb.Execute(connection, V1, transaction);
        using var read = CentralDb.Command(connection, "SELECT MAX(version) FROM central_schema", transaction);
        var current = read.ExecuteScalar() is long v ? v : 0;
        if (current < Version)
        {
            using var write = CentralDb.Command(connection, "INSERT INTO central_schema(version) VALUES ($v)", transaction,
                ("$v", Version));
            write.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
