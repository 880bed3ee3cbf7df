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

/// <summary>One office's scored workers (in worker id order) with their records grouped once, and the engine and scorer
/// of its settings: ready to judge any number of months or days.</summary>
internal sealed record OfficeRecords(
    OfficeScope Scope,
    IReadOnlyList<RosterRow> Workers,
    IReadOnlyDictionary<string, WorkerRecords> Records,
    VerdictEngine Engine,
    MonthlyScorer Scorer);

/// <summary>Scores a month for every scored worker of every office in the input. All rules come from Kiosk.Core
/// (RecordGrouping → VerdictEngine → MonthlyScorer); this class only groups inputs per office and hands them over,
/// so the centre never re-implements a rule.</summary>
internal static class MonthScoring
{
    public static IReadOnlyList<WorkerMonth> Score(ScoringInput input, int year, int month) => Score(Group(input), year, month);

    /// <summary>Scores a month from records grouped once by <see cref="Group"/> (the year view scores up to twelve
    /// months of the same records).</summary>
    public static IReadOnlyList<WorkerMonth> Score(IReadOnlyList<OfficeRecords> offices, int year, int month)
    {
        ArgumentNullException.ThrowIfNull(offices);
        var result = new List<WorkerMonth>();
        foreach (var office in offices)
        {
            foreach (var row in office.Workers)
            {
                result.Add(new WorkerMonth(row, office.Scorer.Score(office.Engine, office.Records[row.WorkerId], year, month,
                    office.Scope.CompleteUpTo)));
            }
        }

        return result;
    }

    /// <summary>Groups the input's events by office and worker once (RecordGrouping applies the clock corrections),
    /// for every office with scored workers, or only <paramref name="onlyOffice"/>; offices in id order.</summary>
    public static IReadOnlyList<OfficeRecords> Group(ScoringInput input, string? onlyOffice = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var envelopesByOffice = input.Envelopes.GroupBy(e => e.OfficeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyCollection<JournalEnvelope>)g.ToList(), StringComparer.Ordinal);
        var centreByOffice = input.CentreEvents.GroupBy(e => e.OfficeId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Event).ToList(), StringComparer.Ordinal);
        var result = new List<OfficeRecords>();
        foreach (var office in input.Roster
            .Where(r => RosterMapping.IsScored(r) && (onlyOffice is null || string.Equals(r.Office, onlyOffice, StringComparison.Ordinal)))
            .GroupBy(r => r.Office, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!input.Offices.TryGetValue(office.Key, out var scope))
            {
                throw new InvalidOperationException($"office '{office.Key}' has no scoring scope (settings and complete-up-to)");
            }

            var workers = office.OrderBy(r => r.WorkerId, StringComparer.Ordinal).ToList();
            var records = RecordGrouping.ByWorker(workers.Select(RosterMapping.ToWorker),
                envelopesByOffice.GetValueOrDefault(office.Key) ?? [], centreByOffice.GetValueOrDefault(office.Key));
            result.Add(new OfficeRecords(scope, workers, records, new VerdictEngine(scope.Settings, input.Calendar),
                new MonthlyScorer(scope.Settings)));
        }

        return result;
    }
}
