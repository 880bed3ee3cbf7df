using System.Globalization;
using Kiosk.Central.Admin;
using Kiosk.Central.Roster;
using Kiosk.Central.Store;
using Kiosk.Core.Settings;
using Kiosk.Sync.Centre;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Scoring;

/// <summary>Writes an office's month as the files `score-files` takes (roster.csv, events.jsonl, settings.json,
/// the imported calendar years, complete-up-to.txt), so an auditor can recompute the centre's report without the
/// centre: reconciliation in both directions (issue 6, "Scoring from files alone").</summary>
internal static class ExportMonth
{
    public static async Task<DateTimeOffset> RunAsync(SqliteConnection db, string dbPath, string office, int year, int month, string outDir,
        CancellationToken ct)
    {
        Directory.CreateDirectory(outDir);
        var first = new DateOnly(year, month, 1);
        var rows = RosterStore.Load(db, office);
        if (rows.Count == 0)
        {
            throw new AdminException($"--office: '{office}' has nobody on the roster");
        }

        await using (var roster = new StreamWriter(Path.Combine(outDir, "roster.csv")))
        {
            RosterCsv.Write(roster, rows);
        }

        // The same events a store report of this month reads (StoreScoring.Window), so both give the same numbers.
        var inbox = new InboxStore(dbPath, TimeProvider.System);
        var (readFrom, readTo) = StoreScoring.Window(first, first.AddMonths(1).AddDays(-1));
        var stored = await inbox.ReadEventsAsync(office, readFrom, readTo, ct);
        await using (var events = new StreamWriter(Path.Combine(outDir, "events.jsonl")))
        {
            events.NewLine = "\n";
            foreach (var e in stored)
            {
                // The stored wire JSON, byte for byte: the hash the auditor re-checks is the device's.
                await events.WriteLineAsync(e.EnvelopeJson.AsMemory(), ct);
            }

            foreach (var c in CentreEventLog.Load(db, office))
            {
                await events.WriteLineAsync(EventsJsonl.CentreLineJson(new CentreLine(c.OfficeId, c.EnteredBy, c.Event)).AsMemory(), ct);
            }
        }

        await File.WriteAllTextAsync(Path.Combine(outDir, "settings.json"), RulesSettingsJson.Serialize(SetSettings.For(db, office)), ct);
        foreach (var (y, json) in ImportCalendar.LatestJson(db))
        {
            await File.WriteAllTextAsync(Path.Combine(outDir, string.Create(CultureInfo.InvariantCulture, $"calendar-{y}.json")), json, ct);
        }

        var devices = await inbox.GetDevicesAsync(office, ct);
        var upTo = StoreScoring.OfficeCompleteUpTo(devices, office) ?? DateTimeOffset.MinValue;
        await File.WriteAllTextAsync(Path.Combine(outDir, "complete-up-to.txt"), upTo.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture) + "\n", ct);
        return upTo;
    }
}
