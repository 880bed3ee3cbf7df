using Kiosk.Core.Calendar;
using Kiosk.Core.Events;
using Kiosk.Core.Schedule;
using Kiosk.Core.Settings;

namespace Kiosk.Core.Verdicts;

/// <summary>Turns one worker's records into a verdict per date × session (issue 2 §4). Pure: the "complete up
/// to" watermark is an argument (architecture decision 4: a missing sign-in after the watermark is Pending,
/// never 旷工). Precedence, first match wins (docs/rules.md, "Verdict precedence"):
/// not employed → calendar unknown → weekend/holiday → approved leave → counted sign-in (untrusted clock →
/// ClockUnverified; on time; late: excused if a valid excuse exists, on outing if an approved outing covers the
/// point, else Late/SeriouslyLate/旷工 by the thresholds) → no sign-in: excuse → outing → requested leave
/// (PendingLeave) → not complete yet (Pending) → 旷工 half day.</summary>
public sealed class VerdictEngine
{
    private readonly RulesSettings _settings;
    private readonly TimeSpan _offset;

    public VerdictEngine(RulesSettings settings, WorkCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(calendar);
        _settings = settings;
        _offset = settings.UtcOffset;
        Calendar = calendar;
        Schedule = new OfficeSchedule(settings.Schedule);
    }

    public OfficeSchedule Schedule { get; }

    public WorkCalendar Calendar { get; }

    public IReadOnlyList<SessionVerdict> JudgeMonth(WorkerRecords records, int year, int month, DateTimeOffset completeUpTo)
    {
        var first = new DateOnly(year, month, 1);
        var result = new List<SessionVerdict>(62);
        Judge(records, first, first.AddMonths(1).AddDays(-1), completeUpTo, result);
        return result;
    }

    public IReadOnlyList<SessionVerdict> Judge(WorkerRecords records, DateOnly from, DateOnly to, DateTimeOffset completeUpTo)
    {
        var result = new List<SessionVerdict>();
        Judge(records, from, to, completeUpTo, result);
        return result;
    }

    public SessionVerdict JudgeSession(WorkerRecords records, DateOnly date, Session session, DateTimeOffset completeUpTo) =>
        Judge(records, date, date, completeUpTo)[(int)session];

    /// <summary>Appends two verdicts (morning, afternoon) per date from <paramref name="from"/> to
    /// <paramref name="to"/> inclusive to <paramref name="into"/>.</summary>
    public void Judge(WorkerRecords records, DateOnly from, DateOnly to, DateTimeOffset completeUpTo, List<SessionVerdict> into)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(into);
        var ctx = new WorkerContext(this, records, from, to, completeUpTo);
        Span<int> counted = stackalloc int[4];
        Span<int> countedMinute = stackalloc int[4];
        Span<int> duplicates = stackalloc int[2];
        var cursor = 0;
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            // Locals hold only days from..to, sorted by instant; at one fixed office offset that is also by local day,
            // so the cursor is always at this date's first punch.
            var day = date.DayNumber;
            var dayStart = cursor;
            while (cursor < ctx.Locals.Length && ctx.Locals[cursor].Day == day)
            {
                cursor++;
            }

            var kind = Calendar.KindOf(date);
            var worker = records.Worker;
            if (!worker.IsEmployedOn(date) || !kind.IsWorkday())
            {
                var (vk, reason) = !worker.IsEmployedOn(date) ? (VerdictKind.NotRequired, NotRequiredReason.NotEmployed)
                    : kind == DayKind.Unknown ? (VerdictKind.CalendarUnknown, NotRequiredReason.None)
                    : (VerdictKind.NotRequired, kind == DayKind.Weekend ? NotRequiredReason.Weekend : NotRequiredReason.Holiday);
                into.Add(new SessionVerdict(worker.Id, date, Session.Morning, vk, kind, NotRequired: reason));
                into.Add(new SessionVerdict(worker.Id, date, Session.Afternoon, vk, kind, NotRequired: reason));
                continue;
            }

            counted.Fill(-1);
            countedMinute.Clear();
            duplicates.Clear();
            for (var i = dayStart; i < cursor; i++)
            {
                var placed = PunchPlacement.Place(Schedule, ctx.Locals[i].Minute, i, counted, countedMinute);
                if (placed.Point >= 0 && !placed.Counted)
                {
                    duplicates[(int)OfficeSchedule.SessionOf((PunchPoint)placed.Point)]++;
                }
            }

            into.Add(JudgeSession(ctx, date, kind, Session.Morning, counted, duplicates[0]));
            into.Add(JudgeSession(ctx, date, kind, Session.Afternoon, counted, duplicates[1]));
        }
    }

    private SessionVerdict JudgeSession(WorkerContext ctx, DateOnly date, DayKind kind, Session session, ReadOnlySpan<int> counted, int duplicates)
    {
        var key = ExcuseRule.Key(date, session);
        var signInPoint = OfficeSchedule.SignInOf(session);
        var signOutPoint = OfficeSchedule.SignOutOf(session);
        var b = new VerdictBuilder { Kind = VerdictKind.Pending, Duplicates = duplicates };
        if (ctx.SelfExcused?.Contains(key) == true)
        {
            b.Notes |= VerdictNotes.SelfExcuseIgnored;
        }

        var requested = ctx.Requested is not null && ctx.Requested.TryGetValue(key, out var req) ? req : null;
        if (requested is not null)
        {
            b.Notes |= VerdictNotes.LeaveRequested;
        }

        b.Findings = ctx.Findings is not null && ctx.Findings.TryGetValue(key, out var f) ? f : 0;
        if (ctx.Approved is not null && ctx.Approved.TryGetValue(key, out var leave))
        {
            b.Kind = VerdictKind.OnLeave;
            b.Leave = leave;
            b.Notes &= ~VerdictNotes.LeaveRequested;
            return b.Build(ctx.Records.Worker.Id, date, session, kind);
        }

        var excuse = ctx.Excuses is not null && ctx.Excuses.TryGetValue(key, out var ex) ? ex : null;
        var signInIdx = counted[(int)signInPoint];
        if (signInIdx >= 0)
        {
            var (punch, minute, time) = ctx.Punch(signInIdx);
            b.SignInAt = time;
            if (punch.Corrected)
            {
                b.Notes |= VerdictNotes.ClockCorrected;
            }

            if (!punch.Trusted && !_settings.ScoreUntrustedPunchesAtFaceValue)
            {
                b.Kind = VerdictKind.ClockUnverified;
                return b.Build(ctx.Records.Worker.Id, date, session, kind);
            }

            var (outcome, late) = PunchClassifier.Judge(Schedule, signInPoint, minute);
            b.LateMinutes = late;
            if (outcome == PunchOutcome.OnTime)
            {
                b.Kind = VerdictKind.OnTime;
            }
            else if (excuse is not null)
            {
                b.Kind = VerdictKind.Excused;
                b.Excuse = excuse;
                return b.Build(ctx.Records.Worker.Id, date, session, kind);
            }
            else if (ctx.OutingCovers(date, Schedule.PointMinute(signInPoint), ref b.Notes))
            {
                b.Kind = VerdictKind.OnOuting;
                return b.Build(ctx.Records.Worker.Id, date, session, kind);
            }
            else if (outcome == PunchOutcome.LateCountsAsHalfDayAbsence)
            {
                b.Kind = VerdictKind.AbsentHalfDay;
                return b.Build(ctx.Records.Worker.Id, date, session, kind);
            }
            else
            {
                b.Kind = outcome == PunchOutcome.SeriouslyLate ? VerdictKind.SeriouslyLate : VerdictKind.Late;
            }

            if (Schedule.SignOuts)
            {
                JudgeSignOut(ctx, date, signOutPoint, counted, ref b);
            }

            return b.Build(ctx.Records.Worker.Id, date, session, kind);
        }

        if (counted[(int)signOutPoint] >= 0)
        {
            b.Notes |= VerdictNotes.SignOutWithoutSignIn;
        }

        if (excuse is not null)
        {
            b.Kind = VerdictKind.Excused;
            b.Excuse = excuse;
        }
        else if (ctx.OutingCovers(date, Schedule.PointMinute(signInPoint), ref b.Notes))
        {
            b.Kind = VerdictKind.OnOuting;
        }
        else if (requested is not null)
        {
            b.Kind = VerdictKind.PendingLeave;
            b.Leave = requested;
            b.Notes &= ~VerdictNotes.LeaveRequested;
        }
        else
        {
            b.Kind = ctx.IsComplete(date, Schedule.WindowClose(signInPoint)) ? VerdictKind.AbsentHalfDay : VerdictKind.Pending;
        }

        return b.Build(ctx.Records.Worker.Id, date, session, kind);
    }

    /// <summary>Policy, "Definitions": 早退 = leaving before the end of office hours, measured only where the office
    /// configured sign-outs and only for a worker who was present (on time or late).</summary>
    private void JudgeSignOut(WorkerContext ctx, DateOnly date, PunchPoint point, ReadOnlySpan<int> counted, ref VerdictBuilder b)
    {
        if (ctx.OutingCovers(date, Schedule.PointMinute(point), ref b.Notes))
        {
            b.SignOut = SignOutOutcome.CoveredByOuting;
            return;
        }

        var idx = counted[(int)point];
        if (idx < 0)
        {
            b.SignOut = ctx.IsComplete(date, Schedule.WindowClose(point)) ? SignOutOutcome.Missing : SignOutOutcome.Pending;
            return;
        }

        var (punch, minute, time) = ctx.Punch(idx);
        b.SignOutAt = time;
        if (punch.Corrected)
        {
            b.Notes |= VerdictNotes.ClockCorrected;
        }

        if (!punch.Trusted && !_settings.ScoreUntrustedPunchesAtFaceValue)
        {
            b.SignOut = SignOutOutcome.ClockUnverified;
            return;
        }

        var (result, early) = PunchClassifier.Judge(Schedule, point, minute);
        b.SignOut = result == PunchOutcome.EarlyLeave ? SignOutOutcome.EarlyLeave : SignOutOutcome.OnTime;
        b.EarlyLeaveMinutes = early;
    }

    /// <summary>Collects a verdict's fields so each verdict is allocated once (the month for 10,000 workers is hot).</summary>
    private struct VerdictBuilder
    {
        public VerdictKind Kind;
        public int LateMinutes;
        public TimeOnly? SignInAt;
        public SignOutOutcome SignOut;
        public int EarlyLeaveMinutes;
        public TimeOnly? SignOutAt;
        public Excuse? Excuse;
        public LeaveRequest? Leave;
        public int Findings;
        public int Duplicates;
        public VerdictNotes Notes;

        public readonly SessionVerdict Build(string workerId, DateOnly date, Session session, DayKind day) => new(
            workerId, date, session, Kind, day, LateMinutes, SignInAt, SignOut, EarlyLeaveMinutes, SignOutAt,
            Excuse?.Reason, Excuse?.MarkedBy, Leave?.Type, Leave?.LeaveId, NotRequiredReason.None, Findings, Duplicates, Notes);
    }

    /// <summary>One worker's records indexed for the range being judged; built once per call.</summary>
    private sealed class WorkerContext
    {
        private readonly VerdictEngine _engine;
        private readonly int _wmDay;
        private readonly int _wmMinute;

        public WorkerContext(VerdictEngine engine, WorkerRecords records, DateOnly from, DateOnly to, DateTimeOffset completeUpTo)
        {
            _engine = engine;
            Records = records;
            var (wmDate, wmMinute) = MinuteRule.Local(completeUpTo, engine._offset);
            _wmDay = wmDate.DayNumber;
            _wmMinute = wmMinute;

            var punches = records.Punches;
            var locals = new LocalPunch[punches.Count];
            var n = 0;
            for (var i = 0; i < punches.Count; i++)
            {
                var (d, m) = MinuteRule.Local(punches[i].At, engine._offset);
                if (d >= from && d <= to)
                {
                    locals[n++] = new LocalPunch(d.DayNumber, m, punches[i].At.UtcTicks, i);
                }
            }

            Array.Resize(ref locals, n);
            Array.Sort(locals, static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Index.CompareTo(b.Index));
            Locals = locals;

            if (records.Excuses.Count > 0)
            {
                ExcuseRule.Index(records.Excuses, out var valid, out var self);
                Excuses = valid;
                SelfExcused = self;
            }

            LeaveCoverage.Index(records.Leaves, engine.Calendar, out var approved, out var requested);
            Approved = approved;
            Requested = requested;
            foreach (var finding in records.Findings)
            {
                Findings ??= [];
                var key = ExcuseRule.Key(finding.Date, finding.Session);
                Findings[key] = Findings.GetValueOrDefault(key) + 1;
            }
        }

        public WorkerRecords Records { get; }

        public LocalPunch[] Locals { get; }

        public Dictionary<int, Excuse>? Excuses { get; }

        public HashSet<int>? SelfExcused { get; }

        public Dictionary<int, LeaveRequest>? Approved { get; }

        public Dictionary<int, LeaveRequest>? Requested { get; }

        public Dictionary<int, int>? Findings { get; }

        public bool IsComplete(DateOnly date, int closeMinute) =>
            date.DayNumber < _wmDay || (date.DayNumber == _wmDay && closeMinute <= _wmMinute);

        public (PunchRecord Punch, int Minute, TimeOnly Time) Punch(int localIndex)
        {
            var l = Locals[localIndex];
            var p = Records.Punches[l.Index];
            return (p, l.Minute, TimeOnly.FromDateTime(p.At.ToOffset(_engine._offset).DateTime));
        }

        public bool OutingCovers(DateOnly date, int pointMinute, ref VerdictNotes notes)
        {
            var covered = false;
            foreach (var o in Records.Outings)
            {
                if (!OutingRule.Covers(o, date, pointMinute, _engine._offset))
                {
                    continue;
                }

                switch (OutingRule.Check(o, _engine._settings.OutingMaxMinutes))
                {
                    case OutingValidity.Valid:
                        covered = true;
                        break;
                    case OutingValidity.SelfApproved:
                        notes |= VerdictNotes.SelfApprovedOutingIgnored;
                        break;
                    default:
                        notes |= VerdictNotes.OutingTooLongIgnored;
                        break;
                }
            }

            return covered;
        }
    }

    private readonly record struct LocalPunch(int Day, int Minute, long Ticks, int Index);
}
