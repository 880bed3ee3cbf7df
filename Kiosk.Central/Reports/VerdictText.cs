using System.Globalization;
using Kiosk.Core.Events;
using Kiosk.Core.Verdicts;

namespace Kiosk.Central.Reports;

/// <summary>One session's verdict in the words the board shows (Chinese, as the offices write their rules).</summary>
internal static class VerdictText
{
    public static string Of(SessionVerdict v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var at = v.SignInAt is { } t ? t.ToString("HH:mm", CultureInfo.InvariantCulture) : string.Empty;
        var text = v.Kind switch
        {
            VerdictKind.OnTime => $"已签到 {at}",
            VerdictKind.Late => $"迟到{v.LateMinutes}分钟 {at}",
            VerdictKind.SeriouslyLate => $"严重迟到{v.LateMinutes}分钟 {at}",
            VerdictKind.AbsentHalfDay => v.SignInAt is null ? "旷工(未签到)" : $"旷工(迟到{v.LateMinutes}分钟 {at})",
            VerdictKind.Excused => $"标明原因:{v.ExcuseReason?.ToChinese()}",
            VerdictKind.OnLeave => $"请假:{v.LeaveType?.ToChinese()}",
            VerdictKind.OnOuting => "临时外出",
            VerdictKind.PendingLeave => $"请假待批:{v.LeaveType?.ToChinese()}",
            VerdictKind.NotRequired => v.NotRequired switch
            {
                NotRequiredReason.Holiday => "节假日",
                NotRequiredReason.Weekend => "休息日",
                _ => "不在职",
            },
            VerdictKind.Pending => "未签到(待定，数据未到齐)",
            VerdictKind.CalendarUnknown => "缺少日历",
            VerdictKind.ClockUnverified => $"时钟未校准 {at}",
            _ => v.Kind.ToString(),
        };
        return v.SignOut switch
        {
            SignOutOutcome.EarlyLeave => $"{text}；早退{v.EarlyLeaveMinutes}分钟",
            SignOutOutcome.Missing => $"{text}；未签退",
            SignOutOutcome.Pending => $"{text}；签退待定",
            _ => text,
        };
    }
}
