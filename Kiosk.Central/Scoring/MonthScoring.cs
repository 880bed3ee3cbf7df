using Kiosk.Central.Roster;
using Kiosk.Core.Calendar;
using Kiosk.Core.Events;
using Kiosk.Core.Scoring;
using Kiosk.Core.Settings;
using Kiosk.Core.Verdicts;

namespace Kiosk.Central.Scoring;

/// <summary>What one office contributes to a scoring run: its rules and how far its data is complete
/// (architecture decision 4: sessions after CompleteUpTo are pending, never 旷工).</summary>
internal sealed record OfficeScope(string OfficeId, RulesSettings Settings, DateTimeOffset CompleteUpTo);

/// <summary>Everything a scoring run needs, however it was obtained (central store or plain files). The raw facts
/// are only read: verdicts and scores are derived and can be recomputed at any time (issue 6).</summary>
internal sealed record ScoringInput(
    IReadOnlyList<RosterRow> Roster,
    IReadOnlyList<JournalEnvelope> Envelopes,
    IReadOnlyList<(string OfficeId, AttendanceEvent Event)> CentreEvents,
    WorkCalendar Calendar,
    IReadOnlyDictionary<string, OfficeScope> Offices);

internal sealed record WorkerMonth(RosterRow Worker, MonthlyScore Score);

/// <summary>Scores a month for every scored worker of every office in the input. All rules come from Kiosk.Core
/// (RecordGrouping → VerdictEngine → MonthlyScorer); this class only groups inputs per office and hands them over,
/// so the centre never re-implements a rule.</summary>
internal static class MonthScoring
{
    public static IReadOnlyList<WorkerMonth> Score(ScoringInput input, int year, int month)
    {
        ArgumentNullException.ThrowIfNull(input);
        var envelopesByOffice = input.Envelopes.GroupBy(e => e.OfficeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyCollection<JournalEnvelope>)g.ToList(), StringComparer.Ordinal);
        var centreByOffice = input.CentreEvents.GroupBy(e => e.OfficeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Event).ToList(), StringComparer.Ordinal);
        var result = new List<WorkerMonth>(input.Roster.Count);
        foreach (var office in input.Roster.Where(RosterMapping.IsScored).GroupBy(r => r.Office, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!input.Offices.TryGetValue(office.Key, out var scope))
            {
                throw new InvalidOperationException($"office '{office.Key}' has no scoring scope (settings and complete-up-to)");
            }

            var rows = office.ToDictionary(r => r.WorkerId, StringComparer.Ordinal);
            var records = RecordGrouping.ByWorker(rows.Values.Select(RosterMapping.ToWorker),
                envelopesByOffice.GetValueOrDefault(office.Key) ?? [], centreByOffice.GetValueOrDefault(office.Key));
            var engine = new VerdictEngine(scope.Settings, input.Calendar);
            var scorer = new MonthlyScorer(scope.Settings);
            foreach (var row in office.OrderBy(r => r.WorkerId, StringComparer.Ordinal))
            {
                result.Add(new WorkerMonth(row, scorer.Score(engine, records[row.WorkerId], year, month, scope.CompleteUpTo)));
            }
        }

        return result;
    }
}
