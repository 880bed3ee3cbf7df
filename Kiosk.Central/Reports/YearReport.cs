using System.Globalization;
using System.Text;
using Kiosk.Central.Roster;
using Kiosk.Central.Scoring;
using Kiosk.Core.Assessment;
using Kiosk.Core.Scoring;

namespace Kiosk.Central.Reports;

/// <summary>The year view per worker (policy, "Scoring and consequences"): cumulative 旷工 days with the alert above
/// 5 days, notices, and the suggested grade — all computed by the core's YearView from the monthly scores.</summary>
internal static class YearReport
{
    public sealed record Line(RosterRow Worker, YearSummary Summary);

    public static readonly string[] Columns = ["姓名", "社区", "计分月数", "旷工(天)", "旷工超5天预警", "首次超限月份", "通报次数", "月均得分", "建议等次"];

    /// <summary>Scores months 1..lastMonth of the year with the given input and summarises each worker.</summary>
    public static IReadOnlyList<Line> Build(ScoringInput input, int year, int lastMonth, IReadOnlyDictionary<string, int> notices)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(notices);
        var months = new Dictionary<string, List<MonthlyScore>>(StringComparer.Ordinal);
        var workers = new Dictionary<string, RosterRow>(StringComparer.Ordinal);
        var offices = MonthScoring.Group(input);   // grouped once, scored month by month
        for (var m = 1; m <= lastMonth; m++)
        {
            foreach (var wm in MonthScoring.Score(offices, year, m))
            {
                workers[wm.Worker.WorkerId] = wm.Worker;
                if (wm.Score.Counts.RequiredHalfDays > 0)
                {
                    (months.TryGetValue(wm.Worker.WorkerId, out var list) ? list : months[wm.Worker.WorkerId] = []).Add(wm.Score);
                }
            }
        }

        return workers.Values.OrderBy(w => w.Office, StringComparer.Ordinal).ThenBy(w => w.WorkerId, StringComparer.Ordinal)
            .Select(w => new Line(w, new YearView(input.Offices[w.Office].Settings.Year)
                .Summarise(w.WorkerId, year, months.GetValueOrDefault(w.WorkerId) ?? [], notices.GetValueOrDefault(w.WorkerId))))
            .ToList();
    }

    public static string ToCsv(IReadOnlyList<Line> lines)
    {
        var sb = new StringBuilder();
        sb.Append(Csv.Line(Columns)).Append('\n');
        foreach (var (w, s) in lines)
        {
            sb.Append(Csv.Line([
                w.Name, w.Office, s.MonthsScored.ToString(CultureInfo.InvariantCulture), s.AbsentDays.ToString("0.#", CultureInfo.InvariantCulture),
                s.DismissalAlert ? "是" : "否", s.AlertMonth?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                s.Notices.ToString(CultureInfo.InvariantCulture), s.AverageScore?.ToString("0.##", CultureInfo.InvariantCulture) ?? string.Empty,
                s.GradeLabel ?? string.Empty])).Append('\n');
        }

        return sb.ToString();
    }
}
