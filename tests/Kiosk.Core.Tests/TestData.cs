using Kiosk.Core.Calendar;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Core.Settings;
using Kiosk.Core.Verdicts;

namespace Kiosk.Core.Tests;

/// <summary>Shared builders. Dates are in 2026: 2026-03-02 is a Monday; 2026-02-14 (Sat) is an adjusted
/// workday; 2026-02-16 (Mon) is a Spring Festival holiday; 2026-03-07 is a Saturday.</summary>
internal static class TestData
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    public static readonly DateOnly Monday = new(2026, 3, 2);
    public static readonly WorkCalendar Cal = WorkCalendar.BuiltIn;

    public static DateTimeOffset At(DateOnly date, int h, int m, int s = 0) =>
        new(date.Year, date.Month, date.Day, h, m, s, Beijing);

    public static Worker Worker(string id = "W001", Role role = Role.Worker, DateOnly? from = null, DateOnly? to = null) =>
        new(id, "张三", ["0001623026"], "OFF1", role, from ?? new DateOnly(2020, 1, 1), to, [5]);

    public static RulesSettings WithSignOuts(this RulesSettings s) => s with { Schedule = s.Schedule with { SignOutsRequired = true } };

    public static RulesSettings WithGrace(this RulesSettings s, int grace) => s with { Schedule = s.Schedule with { GraceMinutes = grace } };

    public static WorkerRecords Records(params DateTimeOffset[] punches) =>
        WorkerRecords.Empty(Worker()) with { Punches = punches.Select(PunchRecord.Synchronised).ToList() };

    public static WorkerRecords With(this WorkerRecords r, params Excuse[] excuses) => r with { Excuses = [.. r.Excuses, .. excuses] };

    public static WorkerRecords With(this WorkerRecords r, params LeaveRequest[] leaves) => r with { Leaves = [.. r.Leaves, .. leaves] };

    public static WorkerRecords With(this WorkerRecords r, params Outing[] outings) => r with { Outings = [.. r.Outings, .. outings] };

    public static WorkerRecords With(this WorkerRecords r, params InspectionFinding[] findings) => r with { Findings = [.. r.Findings, .. findings] };

    public static Excuse Excuse(DateOnly date, Session session, string markedBy = "SEC1", string worker = "W001") =>
        new(worker, date, session, ExcuseReason.Meeting, null, markedBy, EventSource.Secretary, At(date, 9, 0));

    public static LeaveRequest LeaveOf(DateOnly start, Session session, int halfDays, LeaveState state = LeaveState.Approved, string id = "L1", DateTimeOffset? at = null) =>
        new(id, "W001", LeaveType.Sick, start, session, halfDays, state, "CommunityBuildingSection", "SEC9", "W001", "病", at ?? At(start.AddDays(-3), 9, 0));

    /// <summary>Long after any date the tests use: everything is complete.</summary>
    public static readonly DateTimeOffset AllComplete = new(2027, 1, 1, 0, 0, 0, Beijing);

    public static SessionVerdict Judge(WorkerRecords r, DateOnly date, Session session, RulesSettings? settings = null, DateTimeOffset? upTo = null) =>
        new VerdictEngine(settings ?? RulesSettings.Default, Cal).JudgeSession(r, date, session, upTo ?? AllComplete);
}
