using Kiosk.Core.Scoring;
using Kiosk.Core.Settings;

namespace Kiosk.Core.Assessment;

/// <summary>The year at a glance for one worker (policy, "Scoring and consequences"): cumulative 旷工 days
/// (two half-days = one day), the alert when they exceed 5 days in the year (grounds for dismissal), the
/// number of notices (通报), and a suggested grade from the configurable bands. The grade is a suggestion:
/// the assessment itself is signed by people (考核登记表).</summary>
public sealed class YearView
{
    private readonly YearSettings _settings;

    public YearView(YearSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
    }

    /// <param name="months">The worker's monthly scores of that year (any order; other years are ignored).</param>
    /// <param name="notices">Notices (通报) against the worker in the year, counted by the centre.</param>
    public YearSummary Summarise(string workerId, int year, IReadOnlyList<MonthlyScore> months, int notices)
    {
        ArgumentNullException.ThrowIfNull(months);
        ArgumentOutOfRangeException.ThrowIfNegative(notices);
        var ordered = new List<MonthlyScore>(12);
        foreach (var m in months)
        {
            if (m.Year == year && string.Equals(m.WorkerId, workerId, StringComparison.Ordinal))
            {
                ordered.Add(m);
            }
        }

        ordered.Sort((a, b) => a.Month.CompareTo(b.Month));
        var halfDays = 0;
        var total = 0m;
        int? alertMonth = null;
        foreach (var m in ordered)
        {
            halfDays += m.Counts.AbsentHalfDays;
            total += m.Total;
            if (alertMonth is null && halfDays / 2m > _settings.AbsenceAlertDays)
            {
                alertMonth = m.Month;
            }
        }

        var days = halfDays / 2m;
        decimal? average = ordered.Count == 0 ? null : decimal.Round(total / ordered.Count, 2, MidpointRounding.AwayFromZero);
        var band = Grade(average, days, notices);
        return new YearSummary(workerId, year, halfDays, days, alertMonth is not null, alertMonth, notices,
            average, ordered.Count, band?.Grade, band?.Label);
    }

    /// <summary>Bands in order, first whose every limit holds. Policy: "a worker noticed more than N times a year
    /// is graded 不称职" overrides the bands. No month scored → no suggestion.</summary>
    private GradeBand? Grade(decimal? average, decimal absenceDays, int notices)
    {
        if (average is null)
        {
            return null;
        }

        if (notices > _settings.MaxNoticesBeforeUnsatisfactory)
        {
            foreach (var b in _settings.Grades)
            {
                if (b.Grade == Settings.Grade.Unsatisfactory)
                {
                    return b;
                }
            }

            return _settings.Grades[^1];
        }

        foreach (var b in _settings.Grades)
        {
            if ((b.MinAverageScore is null || average >= b.MinAverageScore)
                && (b.MaxAbsenceDays is null || absenceDays <= b.MaxAbsenceDays)
                && (b.MaxNotices is null || notices <= b.MaxNotices))
            {
                return b;
            }
        }

        return _settings.Grades[^1];
    }
}

/// <summary>AlertMonth: the first month in which the cumulative 旷工 days exceeded the limit.</summary>
public sealed record YearSummary(
    string WorkerId,
    int Year,
    int AbsentHalfDays,
    decimal AbsentDays,
    bool DismissalAlert,
    int? AlertMonth,
    int Notices,
    decimal? AverageScore,
    int MonthsScored,
    Grade? SuggestedGrade,
    string? GradeLabel);
