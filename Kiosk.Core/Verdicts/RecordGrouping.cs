using Kiosk.Core.Events;
using Kiosk.Core.Roster;

namespace Kiosk.Core.Verdicts;

/// <summary>Groups journal rows (and events entered at the centre without an envelope) by worker, applying the
/// clock corrections, into the pre-grouped <see cref="WorkerRecords"/> the engine and scorer take. Events of
/// workers not on the roster are skipped (the centre reports them separately).</summary>
public static class RecordGrouping
{
    public static Dictionary<string, WorkerRecords> ByWorker(
        IEnumerable<Worker> roster,
        IReadOnlyCollection<JournalEnvelope> envelopes,
        IEnumerable<AttendanceEvent>? centreEvents = null)
    {
        ArgumentNullException.ThrowIfNull(roster);
        ArgumentNullException.ThrowIfNull(envelopes);
        var builders = new Dictionary<string, Builder>(StringComparer.Ordinal);
        foreach (var w in roster)
        {
            builders[w.Id] = new Builder(w);
        }

        var clock = new ClockCorrectionRule(envelopes);
        foreach (var e in envelopes)
        {
            if (e.Event is Punch p)
            {
                if (builders.TryGetValue(p.WorkerId, out var b))
                {
                    b.Punches.Add(clock.Apply(e));
                }
            }
            else
            {
                Add(builders, e.Event);
            }
        }

        foreach (var ev in centreEvents ?? [])
        {
            if (ev is Punch p && builders.TryGetValue(p.WorkerId, out var b))
            {
                // A punch entered without an envelope carries no clock facts: the centre vouches for its time.
                b.Punches.Add(new PunchRecord(p.At, ClockQuality.CentreTime));
            }
            else
            {
                Add(builders, ev);
            }
        }

        var result = new Dictionary<string, WorkerRecords>(builders.Count, StringComparer.Ordinal);
        foreach (var (id, b) in builders)
        {
            result[id] = new WorkerRecords(b.Worker, b.Punches, b.Excuses, b.Leaves, b.Outings, b.Findings, b.Points);
        }

        return result;
    }

    private static void Add(Dictionary<string, Builder> builders, AttendanceEvent ev)
    {
        Builder? b;
        switch (ev)
        {
            case Excuse x when builders.TryGetValue(x.WorkerId, out b):
                b.Excuses.Add(x);
                break;
            case LeaveRequest l when builders.TryGetValue(l.WorkerId, out b):
                b.Leaves.Add(l);
                break;
            case Outing o when builders.TryGetValue(o.WorkerId, out b):
                b.Outings.Add(o);
                break;
            case InspectionFinding f when builders.TryGetValue(f.WorkerId, out b):
                b.Findings.Add(f);
                break;
            case SecretaryPoints s when builders.TryGetValue(s.WorkerId, out b):
                b.Points.Add(s);
                break;
            default:
                break;
        }
    }

    private sealed class Builder(Worker worker)
    {
        public Worker Worker { get; } = worker;

        public List<PunchRecord> Punches { get; } = [];

        public List<Excuse> Excuses { get; } = [];

        public List<LeaveRequest> Leaves { get; } = [];

        public List<Outing> Outings { get; } = [];

        public List<InspectionFinding> Findings { get; } = [];

        public List<SecretaryPoints> Points { get; } = [];
    }
}
