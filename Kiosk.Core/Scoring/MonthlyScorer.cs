using Kiosk.Core.Events;
using Kiosk.Core.Settings;
using Kiosk.Core.Verdicts;

namespace Kiosk.Core.Scoring;

/// <summary>Policy, "Scoring and consequences": attendance is scored on 100 points, 20 of which are the community
/// secretary's to give; the rest follows from the records by a configurable deduction table, floored at 0.
/// 全勤 (policy, "Definitions": none of late, early leave, 旷工, 脱岗 in the period) additionally requires no
/// missing sign-out and a complete month (nothing pending, unknown or unverified).</summary>
public sealed class MonthlyScorer
{
    private readonly RulesSettings _settings;

    public MonthlyScorer(RulesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    /// <summary>Judges and scores one worker's month in one call (the centre's and the benchmark's hot path).</summary>
    public MonthlyScore Score(VerdictEngine engine, WorkerRecords records, int year, int month, DateTimeOffset completeUpTo)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(records);
        var verdicts = engine.JudgeMonth(records, year, month, completeUpTo);
        return Score(records.Worker.Id, year, month, verdicts, records.SecretaryPoints);
    }

    /// <summary>Scores verdicts already computed (any order; only those of the month count).</summary>
    public MonthlyScore Score(string workerId, int year, int month, IReadOnlyList<SessionVerdict> verdicts, IReadOnlyList<SecretaryPoints> secretaryPoints)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(secretaryPoints);
        var table = _settings.Deductions;
        var remaining = _settings.Score.RecordPoints;
        var deductions = new List<Deduction>();
        var c = new Counter();
        var complete = true;
        foreach (var v in verdicts)
        {
            if (v.Date.Year != year || v.Date.Month != month)
            {
                continue;
            }

            c.Duplicates += v.Duplicates;
            if ((v.Notes & VerdictNotes.SelfExcuseIgnored) != 0)
            {
                c.SelfExcusesIgnored++;
            }

            switch (v.Kind)
            {
                case VerdictKind.NotRequired:
                    continue;
                case VerdictKind.CalendarUnknown:
                    c.CalendarUnknown++;
                    complete = false;
                    continue;
                case VerdictKind.OnTime:
                    c.OnTime++;
                    break;
                case VerdictKind.Late:
                    c.Late++;
                    c.LateMinutes += v.LateMinutes;
                    Deduct(DeductionKind.Late, table.Late, v);
                    break;
                case VerdictKind.SeriouslyLate:
                    c.SeriouslyLate++;
                    c.LateMinutes += v.LateMinutes;
                    Deduct(DeductionKind.SeriouslyLate, table.SeriouslyLate, v);
                    break;
                case VerdictKind.AbsentHalfDay:
                    c.AbsentHalfDays++;
                    Deduct(DeductionKind.AbsentHalfDay, table.AbsentHalfDay, v);
                    break;
                case VerdictKind.Excused:
                    c.Excused++;
                    break;
                case VerdictKind.OnLeave:
                    c.LeaveHalfDays++;
                    break;
                case VerdictKind.OnOuting:
                    c.Outings++;
                    break;
                case VerdictKind.PendingLeave:
                    c.PendingLeaveHalfDays++;
                    complete = false;
                    break;
                case VerdictKind.Pending:
                    c.Pending++;
                    complete = false;
                    break;
                case VerdictKind.ClockUnverified:
                    c.ClockUnverified++;
                    complete = false;
                    break;
                default:
                    break;
            }

            c.RequiredHalfDays++;
            switch (v.SignOut)
            {
                case SignOutOutcome.EarlyLeave:
                    c.EarlyLeave++;
                    c.EarlyLeaveMinutes += v.EarlyLeaveMinutes;
                    Deduct(DeductionKind.EarlyLeave, table.EarlyLeave, v);
                    break;
                case SignOutOutcome.Missing:
                    c.MissingSignOut++;
                    Deduct(DeductionKind.MissingSignOut, table.MissingSignOut, v);
                    break;
                case SignOutOutcome.Pending or SignOutOutcome.ClockUnverified:
                    complete = false;
                    break;
                default:
                    break;
            }

            for (var i = 0; i < v.OffPostFindings; i++)
            {
                c.OffPostFindings++;
                Deduct(DeductionKind.OffPostFinding, table.OffPostFinding, v);
            }
        }

        var counts = c.ToCounts();
        var (points, status) = SecretaryPointsFor(workerId, year, month, secretaryPoints);
        var recordPoints = remaining;
        var full = complete && counts.Late == 0 && counts.SeriouslyLate == 0 && counts.EarlyLeave == 0
            && counts.AbsentHalfDays == 0 && counts.OffPostFindings == 0 && counts.MissingSignOut == 0;
        return new MonthlyScore(workerId, year, month, recordPoints, points, recordPoints + (points ?? 0m), full, complete,
            counts, deductions, verdicts, status);

        void Deduct(DeductionKind kind, decimal amount, SessionVerdict v)
        {
            var applied = Math.Min(amount, remaining);
            remaining -= applied;
            deductions.Add(new Deduction(kind, v.Date, v.Session, amount, applied, v));
        }
    }

    /// <summary>The latest valid entry for the month counts (a correction is a new event). Entries outside
    /// 0..SecretaryMaxPoints, or given by the worker to themselves, are ignored and reported.</summary>
    private (decimal? Points, SecretaryPointsStatus Status) SecretaryPointsFor(string workerId, int year, int month, IReadOnlyList<SecretaryPoints> all)
    {
        SecretaryPoints? best = null;
        SecretaryPoints? latestAny = null;
        foreach (var p in all)
        {
            if (p.Year != year || p.Month != month || !string.Equals(p.WorkerId, workerId, StringComparison.Ordinal))
            {
                continue;
            }

            if (latestAny is null || p.At >= latestAny.At)
            {
                latestAny = p;
            }

            var valid = p.Points >= 0 && p.Points <= _settings.Score.SecretaryMaxPoints
                && !string.Equals(p.GivenBy, p.WorkerId, StringComparison.Ordinal);
            if (valid && (best is null || p.At >= best.At))
            {
                best = p;
            }
        }

        if (latestAny is null)
        {
            return (null, SecretaryPointsStatus.Missing);
        }

        var status = ReferenceEquals(best, latestAny) ? SecretaryPointsStatus.Given
            : string.Equals(latestAny.GivenBy, latestAny.WorkerId, StringComparison.Ordinal) ? SecretaryPointsStatus.SelfGivenIgnored
            : SecretaryPointsStatus.OutOfRangeIgnored;
        return (best?.Points, status);
    }

    private sealed class Counter
    {
        public int RequiredHalfDays, OnTime, Late, SeriouslyLate, LateMinutes, EarlyLeave, EarlyLeaveMinutes, MissingSignOut,
            AbsentHalfDays, LeaveHalfDays, PendingLeaveHalfDays, Excused, Outings, OffPostFindings, Pending, CalendarUnknown,
            ClockUnverified, SelfExcusesIgnored, Duplicates;

        public MonthCounts ToCounts() => new()
        {
            RequiredHalfDays = RequiredHalfDays, OnTime = OnTime, Late = Late, SeriouslyLate = SeriouslyLate, LateMinutes = LateMinutes,
            EarlyLeave = EarlyLeave, EarlyLeaveMinutes = EarlyLeaveMinutes, MissingSignOut = MissingSignOut, AbsentHalfDays = AbsentHalfDays,
            LeaveHalfDays = LeaveHalfDays, PendingLeaveHalfDays = PendingLeaveHalfDays, Excused = Excused, Outings = Outings,
            OffPostFindings = OffPostFindings, Pending = Pending, CalendarUnknown = CalendarUnknown, ClockUnverified = ClockUnverified,
            SelfExcusesIgnored = SelfExcusesIgnored, Duplicates = Duplicates,
        };
    }
}
