using System.Globalization;
using Kiosk.Central.Scoring;
using Kiosk.Core.Events;
using Kiosk.Core.Scoring;

namespace Kiosk.Central.Reports;

/// <summary>From scored months to the clerk's report lines (issue 6 columns). The counts and the deductions are the
/// core's (MonthlyScore); this class only lays them out and writes 备注 so that nothing scored as incomplete looks
/// final: pending sessions, requested-but-undecided leave, missing secretary points, unverified clocks.</summary>
internal static class ReportBuilder
{
    public static MonthReport Build(int year, int month, string scope, IReadOnlyList<WorkerMonth> months,
        IReadOnlyDictionary<string, string>? extraRemarks = null)
    {
        ArgumentNullException.ThrowIfNull(months);
        var rows = new List<ReportRow>(months.Count);
        var deductions = new List<DeductionLine>();
        foreach (var (worker, score) in months)
        {
            var c = score.Counts;
            var remarks = Remarks(score);
            if (extraRemarks?.GetValueOrDefault(worker.WorkerId) is { Length: > 0 } extra)
            {
                remarks.Add(extra);
            }

            rows.Add(new ReportRow(worker.WorkerId, worker.Name, worker.Office, c.RequiredHalfDays, c.OnTime,
                c.Late + c.SeriouslyLate, c.LateMinutes, c.EarlyLeave, c.AbsentHalfDays, c.LeaveHalfDays, c.Excused,
                score.FullAttendance, score.RecordPoints,
                score.SecretaryPointsStatus == SecretaryPointsStatus.Missing ? null : (int?)score.SecretaryPoints,
                score.Total, c.Pending, string.Join("；", remarks)));
            foreach (var d in score.Deductions)
            {
                deductions.Add(new DeductionLine(worker.WorkerId, worker.Name, worker.Office, d.Date, SessionName(d.Session),
                    d.Applied == d.Points ? d.Cause : string.Create(CultureInfo.InvariantCulture, $"{d.Cause} (扣{d.Points}分, 已到0分下限, 实扣{d.Applied})"),
                    d.Applied));
            }
        }

        return new MonthReport(year, month, scope, rows, deductions);
    }

    public static string SessionName(Session session) => session == Session.Morning ? "上午" : "下午";

    private static List<string> Remarks(MonthlyScore score)
    {
        var c = score.Counts;
        var list = new List<string>();
        if (c.Pending > 0)
        {
            list.Add($"待定{c.Pending}个半天(数据未到齐)");
        }

        if (c.PendingLeaveHalfDays > 0)
        {
            list.Add($"请假待批{c.PendingLeaveHalfDays}个半天");
        }

        if (c.SeriouslyLate > 0)
        {
            list.Add($"其中严重迟到{c.SeriouslyLate}次");
        }

        if (c.MissingSignOut > 0)
        {
            list.Add($"未签退{c.MissingSignOut}次");
        }

        if (c.OffPostFindings > 0)
        {
            list.Add($"脱岗{c.OffPostFindings}次");
        }

        if (c.Outings > 0)
        {
            list.Add($"临时外出{c.Outings}次");
        }

        if (c.ClockUnverified > 0)
        {
            list.Add($"时钟未校准待核{c.ClockUnverified}个半天");
        }

        if (c.CalendarUnknown > 0)
        {
            list.Add($"缺少日历{c.CalendarUnknown}个半天");
        }

        if (c.SelfExcusesIgnored > 0)
        {
            list.Add($"本人标明原因无效{c.SelfExcusesIgnored}次");
        }

        list.Add(score.SecretaryPointsStatus switch
        {
            SecretaryPointsStatus.Missing => "书记未评分",
            SecretaryPointsStatus.OutOfRangeIgnored => "书记评分超出范围已忽略",
            SecretaryPointsStatus.SelfGivenIgnored => "本人自评已忽略",
            _ => string.Empty,
        });
        list.RemoveAll(s => s.Length == 0);
        return list;
    }
}
