using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Kiosk.Sync.Sqlite;

/// <summary>One prepared statement on a Microsoft.Data.Sqlite connection's own SQLite handle, for the two per-row loops
/// of a drain: the kiosk reading its journal rows and the centre inserting its event rows. Through Microsoft.Data.Sqlite
/// every execution re-binds every parameter, every read goes through its type mapping, and every string crosses
/// UTF-8 ↔ UTF-16; those were the largest single costs of a drained event on both sides (bench/Kiosk.Sync.Bench
/// --stages). Here values shared by a whole batch are bound once, UTF-8 is bound and read as bytes, and bindings stay
/// for the next row. The statement runs inside whatever transaction the caller holds on the same connection.</summary>
public sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement), "prepare");
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value), "bind");

    public void Bind(int index, string value) => Check(raw.sqlite3_bind_text(_statement, index, value), "bind");

    /// <summary>Binds UTF-8 text without converting it (SQLite copies it: SQLITE_TRANSIENT).</summary>
    public void BindUtf8(int index, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(_statement, index, utf8), "bind");

    /// <summary>Runs a statement that returns no rows once and resets it; the bindings stay for the next row.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            throw Error(rc, "step");
        }
    }

    /// <summary>Steps a query: true with a row to read through the Column methods, false once it is done (then reset,
    /// ready to run again with new bindings).</summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        raw.sqlite3_reset(_statement);
        return rc == raw.SQLITE_DONE ? false : throw Error(rc, "step");
    }

    /// <summary>Runs a statement that returns exactly one row (an INSERT … RETURNING) and gives its first column.</summary>
    public long ReadOne()
    {
        if (!Read())
        {
            throw new InvalidOperationException("the statement returned no row");
        }

        var value = Int64(0);
        while (Read())
        {
        }

        return value;
    }

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>The column's text as UTF-8 bytes, valid until the next <see cref="Read"/>.</summary>
    public ReadOnlySpan<byte> Utf8(int column) => raw.sqlite3_column_blob(_statement, column);

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
