using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Kiosk.Sync.Centre;

/// <summary>One prepared INSERT on the connection's own SQLite handle, for the inbox's per-event rows. Through
/// Microsoft.Data.Sqlite every execution re-binds every parameter and converts each string UTF-16 → UTF-8 (the
/// envelope having been decoded UTF-8 → UTF-16 just before): that binding was the largest single cost of storing an
/// event (bench/Kiosk.Sync.Bench). Here values that are the same for the whole batch are bound once, and the
/// envelope's UTF-8 bytes are bound straight from the received payload. The statement runs inside the caller's
/// Microsoft.Data.Sqlite transaction on the same connection.</summary>
internal sealed class RawInsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawInsert(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement), "prepare");
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value), "bind");

    public void Bind(int index, string value) => Check(raw.sqlite3_bind_text(_statement, index, value), "bind");

    /// <summary>Binds UTF-8 text without converting it (SQLite copies it: SQLITE_TRANSIENT).</summary>
    public void BindUtf8(int index, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(_statement, index, utf8), "bind");

    /// <summary>Runs the statement once and resets it; the bindings stay for the next row.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            throw Error(rc, "step");
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc, string what)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc, what);
        }
    }

    private SqliteException Error(int rc, string what) =>
        new($"SQLite error {rc} ({what}): {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
}
