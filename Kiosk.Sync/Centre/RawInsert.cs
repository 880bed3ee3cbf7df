using System.Text;
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

/// <summary>Small UTF-8 texts of the inbox's rows, written without a string.</summary>
internal static class Utf8Text
{
    /// <summary>yyyy-MM-ddTHH:mm:ss.fffffff of the office-local wall time (the same text as InboxStore.LocalText).</summary>
    public static void LocalTime(DateTime t, Span<byte> into27)
    {
        static void Digits(Span<byte> into, int value)
        {
            for (var i = into.Length - 1; i >= 0; i--)
            {
                into[i] = (byte)('0' + (value % 10));
                value /= 10;
            }
        }

        Digits(into27[..4], t.Year);
        into27[4] = (byte)'-';
        Digits(into27[5..7], t.Month);
        into27[7] = (byte)'-';
        Digits(into27[8..10], t.Day);
        into27[10] = (byte)'T';
        Digits(into27[11..13], t.Hour);
        into27[13] = (byte)':';
        Digits(into27[14..16], t.Minute);
        into27[16] = (byte)':';
        Digits(into27[17..19], t.Second);
        into27[19] = (byte)'.';
        Digits(into27[20..27], (int)(t.Ticks % TimeSpan.TicksPerSecond));
    }

    public static string LocalTime(DateTime t)
    {
        Span<byte> bytes = stackalloc byte[27];
        LocalTime(t, bytes);
        return Encoding.ASCII.GetString(bytes);
    }
}
