using Microsoft.Data.Sqlite;

namespace Kiosk.Sync.Testing;

/// <summary>A second, unpooled connection to the central store, for what a test does to the file from outside the
/// inbox: a trigger that makes a real write fail on demand, a lock held by another writer.</summary>
internal static class CentralSql
{
    public static async Task<SqliteConnection> OpenAsync(string databasePath)
    {
        var db = new SqliteConnection("Pooling=False;Data Source=" + databasePath);
        await db.OpenAsync();
        return db;
    }

    public static async Task ExecAsync(SqliteConnection db, string sql)
    {
        await using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Runs <paramref name="sql"/> on its own connection.</summary>
    public static async Task RunAsync(string databasePath, string sql)
    {
        await using var db = await OpenAsync(databasePath);
        await ExecAsync(db, sql);
    }
}
