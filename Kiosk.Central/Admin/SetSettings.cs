using System.Globalization;
using Kiosk.Central.Store;
using Kiosk.Core.Settings;
using Kiosk.Sync.Contract;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Admin;

/// <summary>Rule settings per office (issue 6), or for the whole sub-district with office "*". The core validates
/// the document and names the bad field; each accepted document is a new version row (history is kept).</summary>
internal static class SetSettings
{
    public const string AllOffices = "*";

    public static RulesSettings Run(SqliteConnection db, string office, string json, string setBy, DateTimeOffset now)
    {
        if (!string.Equals(office, AllOffices, StringComparison.Ordinal) && !Topics.IsValidId(office))
        {
            throw new AdminException($"--office: '{office}' is not an office id (or '*' for every office)");
        }

        if (!RulesSettingsJson.TryParse(json, out var parsed, out var errors) || parsed is null)
        {
            throw new AdminException("settings refused:\n  " + string.Join("\n  ", errors));
        }

        using var transaction = db.BeginTransaction();
        using var next = CentralDb.Command(db, "SELECT COALESCE(MAX(id), 0) + 1 FROM settings_versions", transaction);
        var version = string.Create(CultureInfo.InvariantCulture, $"s{(long)next.ExecuteScalar()!}");
        var stamped = parsed with { Version = version };
        using var insert = CentralDb.Command(db, "INSERT INTO settings_versions(office_id, json, set_by, set_at) VALUES ($o, $j, $by, $t)",
            transaction, ("$o", office), ("$j", RulesSettingsJson.Serialize(stamped)), ("$by", setBy),
            ("$t", now.ToString("O", CultureInfo.InvariantCulture)));
        insert.ExecuteNonQuery();
        transaction.Commit();
        return stamped;
    }

    /// <summary>The settings an office scores with: its own latest, else the sub-district's, else the defaults.</summary>
    public static RulesSettings For(SqliteConnection db, string office)
    {
        using var command = CentralDb.Command(db,
            "SELECT json FROM settings_versions WHERE office_id IN ($o, '*') ORDER BY office_id = '*', id DESC LIMIT 1", null, ("$o", office));
        return command.ExecuteScalar() is string json ? RulesSettingsJson.Parse(json) : RulesSettings.Default;
    }
}
