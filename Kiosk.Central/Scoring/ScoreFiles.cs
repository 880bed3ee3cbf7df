using Kiosk.Central.Reports;
using Kiosk.Central.Roster;
using Kiosk.Core.Calendar;
using Kiosk.Core.Settings;

namespace Kiosk.Central.Scoring;

/// <summary>Scoring from files alone, for audit and reconciliation (issue 6): a roster CSV, events as JSON Lines,
/// optional settings and calendar files, a month and a "complete up to" time → the monthly report. No broker, no
/// database. The same MonthScoring as the central store uses, so both give the same numbers for the same facts.</summary>
internal static class ScoreFiles
{
    public static MonthReport Run(string rosterPath, string eventsPath, string? settingsPath, IReadOnlyList<string> calendarPaths,
        int year, int month, DateTimeOffset completeUpTo)
    {
        IReadOnlyList<RosterRow> roster;
        using (var reader = new StreamReader(rosterPath))
        {
            var (rows, errors) = RosterCsv.Parse(reader);
            if (errors.Count > 0)
            {
                throw new InvalidDataException($"roster {rosterPath} refused:\n  " + string.Join("\n  ", errors));
            }

            roster = rows;
        }

        var settings = settingsPath is null ? RulesSettings.Default : RulesSettingsJson.Parse(File.ReadAllText(settingsPath));
        var calendar = WorkCalendar.BuiltIn;
        foreach (var path in calendarPaths)
        {
            calendar = calendar.With(CalendarYear.Parse(File.ReadAllText(path)));
        }

        using var events = new StreamReader(eventsPath);
        var (envelopes, centre) = EventsJsonl.ReadAll(events);
        var offices = roster.Select(r => r.Office).Distinct(StringComparer.Ordinal)
            .ToDictionary(o => o, o => new OfficeScope(o, settings, completeUpTo), StringComparer.Ordinal);
        var input = new ScoringInput(roster, envelopes, centre.Select(c => (c.OfficeId, c.Event)).ToList(), calendar, offices);
        return ReportBuilder.Build(year, month, "全街道", MonthScoring.Score(input, year, month));
    }

    /// <summary>Writes the report in the format the output file's extension names: .csv, .json or .xlsx.</summary>
    public static void WriteByExtension(MonthReport report, string outPath)
    {
        var extension = Path.GetExtension(outPath).ToUpperInvariant();
        Action<Stream, MonthReport> writer = extension switch
        {
            ".CSV" => CsvReportWriter.Write,
            ".JSON" => JsonReportWriter.Write,
            ".XLSX" => XlsxReportWriter.Write,
            _ => throw new InvalidDataException($"--out: '{outPath}' must end in .csv, .json or .xlsx"),
        };
        var temp = outPath + ".tmp";
        using (var stream = File.Create(temp))
        {
            writer(stream, report);
        }

        File.Move(temp, outPath, overwrite: true);
    }
}
