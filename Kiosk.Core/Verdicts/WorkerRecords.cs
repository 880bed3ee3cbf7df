using Kiosk.Core.Events;
using Kiosk.Core.Roster;

namespace Kiosk.Core.Verdicts;

/// <summary>One punch as the rules see it: its time (already corrected if a ClockCorrection applied) and
/// whether that time can be trusted (architecture decision 6).</summary>
public readonly record struct PunchRecord(DateTimeOffset At, ClockQuality Clock, bool Corrected = false)
{
    public bool Trusted => Clock != ClockQuality.Untrusted || Corrected;

    public static PunchRecord Synchronised(DateTimeOffset at) => new(at, ClockQuality.Synchronised);
}

/// <summary>Everything about one worker that the verdicts and the score need, pre-grouped by the caller (the
/// centre groups by worker once; the scorer never scans other workers' events). Lists need not be sorted.</summary>
public sealed record WorkerRecords(
    Worker Worker,
    IReadOnlyList<PunchRecord> Punches,
    IReadOnlyList<Excuse> Excuses,
    IReadOnlyList<LeaveRequest> Leaves,
    IReadOnlyList<Outing> Outings,
    IReadOnlyList<InspectionFinding> Findings,
    IReadOnlyList<SecretaryPoints> SecretaryPoints)
{
    public static WorkerRecords Empty(Worker worker) => new(worker, [], [], [], [], [], []);
}
