using Kiosk.Sync.Centre;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Store;

/// <summary>The one central SQLite file: the sync inbox's tables (InboxSchema, owned by Kiosk.Sync) and the
/// centre's own (CentralSchema), migrated together on open.</summary>
internal static class CentralStore
{
    public static async Task<SqliteConnection> OpenAsync(string path, CancellationToken ct)
    {
        var db = CentralDb.Open(path);
        try
        {
            await InboxSchema.MigrateAsync(db, ct);
            CentralSchema.Migrate(db);
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    public static SqliteConnection Open(string path) => OpenAsync(path, CancellationToken.None).GetAwaiter().GetResult();
}
