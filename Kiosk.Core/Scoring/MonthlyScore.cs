using System.Text.Json.Serialization;
using Kiosk.Core.Events;
using Kiosk.Core.Verdicts;

namespace Kiosk.Core.Scoring;

/// <summary>A worker's month on the 100-point scale (policy, "Scoring"): RecordPoints (0–80, from the records)
/// + SecretaryPoints (0–20). Every point deducted is a <see cref="Deduction"/> naming the verdict that caused
/// it; the Applied amounts sum to exactly (80 − RecordPoints) even when the floor at 0 cut the last ones.</summary>
public sealed record MonthlyScore(
    string WorkerId,
    int Year,
    int Month,
    decimal RecordPoints,
    decimal? SecretaryPoints,
    decimal Total,
    bool FullAttendance,
    bool Complete,
    MonthCounts Counts,
    IReadOnlyList<Deduction> Deductions,
    IReadOnlyList<SessionVerdict> Verdicts,
    SecretaryPointsStatus SecretaryPointsStatus);

/// <summary>One deduction and its cause. Points: the table's amount; Applied: what was actually taken after the
/// floor at 0 (the report shows both). Cause is the Chinese text a report prints, derived from the verdict on
/// demand (a month for 10,000 workers need not format 150,000 strings nobody reads).</summary>
public sealed record Deduction(DeductionKind Kind, DateOnly Date, Session Session, decimal Points, decimal Applied, SessionVerdict Verdict)
{
    /// <summary>e.g. "迟到4分钟 (08:04)", "旷工半天 (未签到, 无请假或标明原因)", "早退30分钟 (11:00)", "未签退", "脱岗 (督查发现)".</summary>
    public string Cause => Describe(Kind, Verdict);

    public static string Describe(DeductionKind kind, SessionVerdict v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return kind switch
        {
            DeductionKind.Late => string.Create(inv, $"迟到{v.LateMinutes}分钟 ({v.SignInAt:HH\\:mm})"),
            DeductionKind.SeriouslyLate => string.Create(inv, $"严重迟到{v.LateMinutes}分钟 ({v.SignInAt:HH\\:mm})"),
            DeductionKind.AbsentHalfDay => v.SignInAt is null
                ? "旷工半天 (未签到, 无请假或标明原因)"
                : string.Create(inv, $"旷工半天 (迟到{v.LateMinutes}分钟, {v.SignInAt:HH\\:mm})"),
            DeductionKind.EarlyLeave => string.Create(inv, $"早退{v.EarlyLeaveMinutes}分钟 ({v.SignOutAt:HH\\:mm})"),
            DeductionKind.MissingSignOut => "未签退",
            _ => "脱岗 (督查发现)",
        };
    }
}

[JsonConverter(typeof(JsonStringEnumConverter<DeductionKind>))]
public enum DeductionKind { Late, SeriouslyLate, EarlyLeave, AbsentHalfDay, OffPostFinding, MissingSignOut }

[JsonConverter(typeof(JsonStringEnumConverter<SecretaryPointsStatus>))]
public enum SecretaryPointsStatus
{
    Given,

    /// <summary>None given yet for the month: counted as 0 and shown as missing.</summary>
    Missing,

    /// <summary>The latest entry was outside 0..SecretaryMaxPoints and was ignored (an earlier valid one, if any, is used).</summary>
    OutOfRangeIgnored,

    /// <summary>The latest entry was given by the worker to themselves and was ignored.</summary>
    SelfGivenIgnored,
}

/// <summary>The counts a 社区建设科 clerk expects in the monthly report (issue 6 columns: 应出勤(半天), 准时,
/// 迟到(次/分钟), 早退, 旷工(半天), 请假, 标明原因, ...).</summary>
public sealed record MonthCounts
{
    public int RequiredHalfDays { get; init; }

    public int OnTime { get; init; }

    public int Late { get; init; }

    public int SeriouslyLate { get; init; }

    /// <summary>Minutes over all late and seriously-late sign-ins that were scored as such.</summary>
    public int LateMinutes { get; init; }

    public int EarlyLeave { get; init; }

    public int EarlyLeaveMinutes { get; init; }

    public int MissingSignOut { get; init; }

    public int AbsentHalfDays { get; init; }

    public int LeaveHalfDays { get; init; }

    public int PendingLeaveHalfDays { get; init; }

    public int Excused { get; init; }

    public int Outings { get; init; }

    public int OffPostFindings { get; init; }

    public int Pending { get; init; }

    public int CalendarUnknown { get; init; }

    public int ClockUnverified { get; init; }

    public int SelfExcusesIgnored { get; init; }

    public int Duplicates { get; init; }
}
