using System.Globalization;
using Kiosk.Central.Store;
using Kiosk.Core.Calendar;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Admin;

/// <summary>Imports one year's exception-list JSON (cn-calendar.md). The core parses and checks it; a new import of
/// the same year supersedes the old one (the State Council has changed a year mid-year) but the old row stays.</summary>
internal static class ImportCalendar
{
    public static CalendarYear Run(SqliteConnection db, string json, DateTimeOffset now)
    {
        CalendarYear year;
        try
        {
            year = CalendarYear.Parse(json);
        }
        catch (CalendarFormatException ex)
        {
            throw new AdminException("calendar file refused: " + ex.Message, ex);
        }

        using var command = CentralDb.Command(db, "INSERT INTO calendar_versions(year, json, imported_at) VALUES ($y, $j, $t)", null,
            ("$y", year.Year), ("$j", json), ("$t", now.ToString("O", CultureInfo.InvariantCulture)));
        command.ExecuteNonQuery();
        return year;
    }

    /// <summary>The latest imported JSON per year.</summary>
    public static IReadOnlyDictionary<int, string> LatestJson(SqliteConnection db)
    {
        using var command = CentralDb.Command(db,
            "SELECT year, json FROM calendar_versions WHERE id IN (SELECT MAX(id) FROM calendar_versions GROUP BY year)", null);
        using var reader = command.ExecuteReader();
        var map = new Dictionary<int, string>();
        while (reader.Read())
        {
            map[reader.GetInt32(0)] = reader.GetString(1);
        }

        return map;
    }

    /// <summary>The calendar to score with: the built-in years (2025, 2026) overridden by imported ones.</summary>
    public static WorkCalendar Load(SqliteConnection db)
    {
        var calendar = WorkCalendar.BuiltIn;
        foreach (var json in LatestJson(db).Values)
        {
            calendar = calendar.With(CalendarYear.Parse(json));
        }

        return calendar;
    }
}
