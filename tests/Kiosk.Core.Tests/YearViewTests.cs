using Kiosk.Core.Assessment;
using Kiosk.Core.Scoring;
using Kiosk.Core.Settings;

namespace Kiosk.Core.Tests;

public sealed class YearViewTests
{
    private static readonly YearView View = new(RulesSettings.Default.Year);

    private static MonthlyScore Month(int month, int absentHalfDays, decimal total) =>
        new("W001", 2026, month, total, 0m, total, absentHalfDays == 0, true, new MonthCounts { AbsentHalfDays = absentHalfDays }, [], [], SecretaryPointsStatus.Given);

    [Fact]
    public void Two_half_days_make_one_day_and_exactly_five_days_raise_no_alert()
    {
        var y = View.Summarise("W001", 2026, [Month(1, 4, 80), Month(2, 6, 80)], 0);
        Assert.Equal(10, y.AbsentHalfDays);
        Assert.Equal(5m, y.AbsentDays);
        Assert.False(y.DismissalAlert);
        Assert.Null(y.AlertMonth);
    }

    [Fact]
    public void More_than_five_days_of_absence_in_a_year_raises_the_alert_in_the_month_it_crossed()
    {
        var y = View.Summarise("W001", 2026, [Month(3, 1, 80), Month(1, 4, 80), Month(2, 6, 80), Month(4, 0, 90)], 0);
        Assert.Equal(5.5m, y.AbsentDays);
        Assert.True(y.DismissalAlert);
        Assert.Equal(3, y.AlertMonth);
    }

    [Fact]
    public void Other_years_and_other_workers_do_not_count()
    {
        var other = Month(1, 20, 10) with { Year = 2025 };
        var someoneElse = Month(2, 20, 10) with { WorkerId = "W002" };
        var y = View.Summarise("W001", 2026, [other, someoneElse, Month(3, 0, 100)], 0);
        Assert.Equal(0, y.AbsentHalfDays);
        Assert.Equal(1, y.MonthsScored);
        Assert.Equal(100m, y.AverageScore);
    }

    [Theory]
    [InlineData(98, 0, 0, Grade.Excellent, "优秀")]
    [InlineData(98, 1, 0, Grade.Competent, "称职")] // half a day of 旷工 costs 优秀
    [InlineData(90, 0, 1, Grade.Competent, "称职")]
    [InlineData(80, 4, 2, Grade.BasicallyCompetent, "基本称职")]
    [InlineData(60, 0, 0, Grade.Unsatisfactory, "不称职")]
    [InlineData(99, 12, 0, Grade.Unsatisfactory, "不称职")] // 6 days of 旷工
    [InlineData(99, 0, 3, Grade.Unsatisfactory, "不称职")] // noticed more than N = 2 times
    public void The_suggested_grade_comes_from_the_bands(decimal average, int absentHalfDays, int notices, Grade grade, string label)
    {
        var y = View.Summarise("W001", 2026, [Month(1, absentHalfDays, average)], notices);
        Assert.Equal(grade, y.SuggestedGrade);
        Assert.Equal(label, y.GradeLabel);
        Assert.Equal(notices, y.Notices);
    }

    [Fact]
    public void Bands_and_labels_are_settings_for_places_that_say_合格()
    {
        var settings = RulesSettingsJson.Parse("""
            { "year": { "maxNoticesBeforeUnsatisfactory": 5, "grades": [
                { "grade": "Excellent", "label": "优秀", "minAverageScore": 90 },
                { "grade": "Competent", "label": "合格", "minAverageScore": 60 },
                { "grade": "Unsatisfactory", "label": "不合格" } ] } }
            """);
        var view = new YearView(settings.Year);
        Assert.Equal("合格", view.Summarise("W001", 2026, [Month(1, 0, 70)], 4).GradeLabel);
        Assert.Equal("不合格", view.Summarise("W001", 2026, [Month(1, 0, 50)], 0).GradeLabel);
    }

    [Fact]
    public void Without_any_scored_month_there_is_no_suggestion()
    {
        var y = View.Summarise("W001", 2026, [], 0);
        Assert.Null(y.SuggestedGrade);
        Assert.Null(y.AverageScore);
    }
}
