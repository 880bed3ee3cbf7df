using System.Globalization;
using System.Text;
using Kiosk.Central.Scoring;
using Kiosk.Core.Verdicts;
using Kiosk.Sync.Centre;

namespace Kiosk.Central.Reports;

/// <summary>A day's board per office (issue 6 `board`): who signed, who did not, and who is pending because the
/// office's data is not complete yet (decision 4), with each device's status so the reader sees why.</summary>
internal static class DayBoard
{
    public sealed record Line(string WorkerId, string Name, SessionVerdict Morning, SessionVerdict Afternoon);

    public static IReadOnlyList<Line> Build(ScoringInput input, string office, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(input);
        // The same grouping as the monthly report, so the board and the report judge the same records.
        if (MonthScoring.Group(input, office) is not [var group])
        {
            return [];
        }

        return group.Workers.Select(r =>
        {
            var v = group.Engine.Judge(group.Records[r.WorkerId], date, date, group.Scope.CompleteUpTo);
            return new Line(r.WorkerId, r.Name, v[0], v[1]);
        }).ToList();
    }

    public static string Render(string office, DateOnly date, DateTimeOffset completeUpTo, IReadOnlyList<Line> lines,
        IReadOnlyList<DeviceRecord> devices)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"社区 {office} · {date:yyyy-MM-dd} 考勤看板 · day board\n");
        sb.Append(completeUpTo == DateTimeOffset.MinValue
            ? "数据完整至 · complete up to: (无数据 · no data yet)\n"
            : string.Create(inv, $"数据完整至 · complete up to: {completeUpTo:yyyy-MM-dd HH:mm:ss zzz}\n"));
        foreach (var d in devices.Where(d => d.OfficeId == office))
        {
            sb.Append(inv, $"  终端 {d.DeviceId}: {(d.RetiredAt is null ? d.Online == true ? "在线 online" : "离线 offline" : "已停用 retired")}, "
                + $"last seen {d.LastSeenAt:yyyy-MM-dd HH:mm}, watermark #{d.WatermarkSequence}, queue {d.QueueDepth?.ToString(inv) ?? "?"}, "
                + $"clock {d.ClockState ?? "?"}, config {d.ConfigVersion ?? "?"}\n");
        }

        sb.Append("姓名\t上午\t下午\n");
        foreach (var l in lines)
        {
            sb.Append(inv, $"{l.Name}\t{VerdictText.Of(l.Morning)}\t{VerdictText.Of(l.Afternoon)}\n");
        }

        var signed = lines.Count(l => l.Morning.SignInAt is not null || l.Afternoon.SignInAt is not null);
        var pending = lines.Count(l => l.Morning.Kind == VerdictKind.Pending || l.Afternoon.Kind == VerdictKind.Pending);
        sb.Append(inv, $"已签到 signed: {signed}/{lines.Count}; 待定 pending: {pending}\n");
        return sb.ToString();
    }
}
