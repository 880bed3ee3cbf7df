using Kiosk.Sync.Centre;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Store;

/// <summary>Opens the centre's one SQLite file. The sync inbox writes its tables (devices, events, rejections)
/// into the same file; the centre adds its own (CentralSchema). Every connection gets WAL and
/// synchronous=FULL because those are per-connection settings (architecture.md decision 2, same rule as the
/// device journal): an admin entry acknowledged on screen must survive a power cut.</summary>
internal static class CentralDb
{
    public static SqliteConnection Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return InboxSchema.Open(path);
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction,
        params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
