namespace Kiosk.Central.Reports;

/// <summary>One worker's line of the monthly report, in the columns a 社区建设科 clerk expects (issue 6,
/// "Scoring and reports"). Counts are half-days (one session = one half-day) unless named otherwise.</summary>
internal sealed record ReportRow(
    string WorkerId,
    string Name,
    string Office,
    int RequiredHalfDays,
    int OnTime,
    int LateCount,
    int LateMinutes,
    int EarlyLeave,
    int AbsentHalfDays,
    int LeaveHalfDays,
    int ExcusedHalfDays,
    bool FullAttendance,
    decimal RecordPoints,
    int? SecretaryPoints,
    decimal Total,
    int PendingHalfDays,
    string Remarks);

/// <summary>One deduction with its cause, so the report can say why (issue 2 §6: every deduction traceable).</summary>
internal sealed record DeductionLine(string WorkerId, string Name, string Office, DateOnly Date, string Session, string Cause, decimal Points);

internal sealed record MonthReport(
    int Year,
    int Month,
    string Scope,
    IReadOnlyList<ReportRow> Rows,
    IReadOnlyList<DeductionLine> Deductions);

/// <summary>The column headers, in order; the CSV, the XLSX and docs/central.md use these exact texts.</summary>
internal static class ReportColumns
{
    public static readonly string[] Main =
    [
        "姓名", "社区", "应出勤(半天)", "准时", "迟到(次/分钟)", "早退", "旷工(半天)", "请假", "标明原因", "全勤",
        "考勤得分(80)", "书记评分(20)", "合计", "备注",
    ];

    public static readonly string[] Deductions = ["姓名", "社区", "日期", "时段", "原因", "扣分"];

    public const string MainSheet = "月度考勤";
    public const string DeductionSheet = "扣分明细";
}
