using System.Globalization;
using System.Text.Json;
using Kiosk.Central.Roster;
using Kiosk.Central.Store;
using Kiosk.Core.Events;
using Kiosk.Core.Settings;
using Kiosk.Sync.Contract;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Admin;

/// <summary>Builds and records a versioned OfficeConfig (issue 5 contract): the office's roster and delegations, its
/// rules settings, the calendar years the centre holds, and the approved leave the kiosk needs so that a missing
/// sign-in is not shown as 旷工 (policy, "What the kiosk must therefore know"), whether it was requested at the centre
/// or on a kiosk (LeaveRegister). Versions count up per office; the kiosks report the version they run in their
/// status, which `board` shows.</summary>
internal static class PublishConfig
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<OfficeConfig> BuildAsync(SqliteConnection db, string dbPath, string office, DateTimeOffset now,
        CancellationToken ct)
    {
        var rows = RosterStore.Load(db, office);
        if (rows.Count == 0)
        {
            throw new AdminException($"--office: '{office}' has nobody on the roster");
        }

        var settings = SetSettings.For(db, office);
        var calendarJson = ImportCalendar.LatestJson(db);
        var leave = await LeaveRegister.CurrentAsync(db, dbPath, office, ct);
        using var transaction = db.BeginTransaction();
        using var next = CentralDb.Command(db, "SELECT COALESCE(MAX(version), 0) + 1 FROM config_versions WHERE office_id = $o", transaction,
            ("$o", office));
        var version = (long)next.ExecuteScalar()!;
        var versionText = version.ToString(CultureInfo.InvariantCulture);
        var roster = RosterMapping.ToOfficeRoster(office, versionText, rows);
        var calendarYears = calendarJson.OrderBy(p => p.Key).Select(p => JsonDocument.Parse(p.Value).RootElement).ToList();
        var approved = leave.Where(l => l.Leave.State == LeaveState.Approved).Select(l => l.Leave).ToList();
        var config = new OfficeConfig(OfficeConfig.CurrentVersion, office, versionText, now,
            JsonSerializer.SerializeToElement(roster, Web),
            JsonDocument.Parse(RulesSettingsJson.Serialize(settings)).RootElement,
            calendarYears.Count == 0 ? null : JsonSerializer.SerializeToElement(calendarYears, Web),
            JsonSerializer.SerializeToElement(approved, Web));
        using var insert = CentralDb.Command(db, "INSERT INTO config_versions(office_id, version, json, published_at) VALUES ($o, $v, $j, $t)",
            transaction, ("$o", office), ("$v", version), ("$j", System.Text.Encoding.UTF8.GetString(SyncJson.Serialize(config))),
            ("$t", now.ToString("O", CultureInfo.InvariantCulture)));
        insert.ExecuteNonQuery();
        transaction.Commit();
        return config;
    }

    /// <summary>The latest recorded configuration of every office (what `serve` re-publishes on start).</summary>
    public static IReadOnlyList<OfficeConfig> Latest(SqliteConnection db)
    {
        using var command = CentralDb.Command(db, """
            SELECT json FROM config_versions c WHERE version = (SELECT MAX(version) FROM config_versions WHERE office_id = c.office_id)
            """, null);
        using var reader = command.ExecuteReader();
        var list = new List<OfficeConfig>();
        while (reader.Read())
        {
            list.Add(SyncJson.Deserialize<OfficeConfig>(System.Text.Encoding.UTF8.GetBytes(reader.GetString(0))));
        }

        return list;
    }
}
