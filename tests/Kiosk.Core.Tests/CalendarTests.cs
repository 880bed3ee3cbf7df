using Kiosk.Core.Calendar;

namespace Kiosk.Core.Tests;

public sealed class CalendarTests
{
    [Theory]
    [InlineData(2025)]
    [InlineData(2026)]
    public void The_shipped_year_has_248_workdays(int year)
    {
        var y = WorkCalendar.BuiltIn.Year(year);
        Assert.NotNull(y);
        Assert.Equal(248, y.CountWorkdays());

        // Independent count through the public per-date API.
        var n = 0;
        for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
        {
            n += WorkCalendar.BuiltIn.KindOf(d).IsWorkday() ? 1 : 0;
        }

        Assert.Equal(248, n);
    }

    [Theory]
    [InlineData("2026-02-14", DayKind.AdjustedWorkday)] // Saturday, 春节 调休
    [InlineData("2026-02-28", DayKind.AdjustedWorkday)]
    [InlineData("2026-01-04", DayKind.AdjustedWorkday)] // Sunday, 元旦 调休
    [InlineData("2026-02-16", DayKind.StatutoryHoliday)] // Monday in 春节
    [InlineData("2026-10-03", DayKind.StatutoryHoliday)] // Saturday inside 国庆
    [InlineData("2026-03-07", DayKind.Weekend)]
    [InlineData("2026-03-02", DayKind.Workday)]
    [InlineData("2025-01-26", DayKind.AdjustedWorkday)]
    [InlineData("2025-10-08", DayKind.StatutoryHoliday)]
    [InlineData("2027-03-01", DayKind.Unknown)]
    [InlineData("2024-12-31", DayKind.Unknown)]
    public void Dates_have_the_kind_of_the_published_arrangement(string date, DayKind expected)
    {
        Assert.Equal(expected, WorkCalendar.BuiltIn.KindOf(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_year_without_a_calendar_is_explicitly_unknown_and_never_guessed()
    {
        var kind = WorkCalendar.BuiltIn.KindOf(new DateOnly(2027, 1, 4)); // a Monday
        Assert.Equal(DayKind.Unknown, kind);
        Assert.False(kind.IsWorkday());
        Assert.Null(WorkCalendar.BuiltIn.NextWorkday(new DateOnly(2026, 12, 31)));
        Assert.Equal(DayKind.Unknown, WorkCalendar.Empty.KindOf(TestData.Monday));
    }

    [Fact]
    public void Holiday_names_come_from_the_file()
    {
        Assert.Equal("春节", WorkCalendar.BuiltIn.NameOf(new DateOnly(2026, 2, 16)));
        Assert.Null(WorkCalendar.BuiltIn.NameOf(TestData.Monday));
    }

    [Fact]
    public void Next_and_previous_workday_skip_holidays_and_use_adjusted_saturdays()
    {
        var cal = WorkCalendar.BuiltIn;
        Assert.Equal(new DateOnly(2026, 2, 14), cal.NextWorkday(new DateOnly(2026, 2, 13)));
        Assert.Equal(new DateOnly(2026, 2, 24), cal.NextWorkday(new DateOnly(2026, 2, 14)));
        Assert.Equal(new DateOnly(2026, 2, 14), cal.PreviousWorkday(new DateOnly(2026, 2, 24)));
    }

    [Fact]
    public void A_calendar_has_a_version_that_changes_with_its_data()
    {
        var a = CalendarYear.Parse("""{ "year": 2030, "days": [ { "name": "元旦", "date": "2030-01-01", "isOffDay": true } ] }""");
        var b = CalendarYear.Parse("""{ "year": 2030, "days": [ { "name": "元旦", "date": "2030-01-01", "isOffDay": true }, { "name": "x", "date": "2030-01-02", "isOffDay": true } ] }""");
        var named = CalendarYear.Parse("""{ "year": 2030, "version": "2030-v2", "days": [] }""");
        Assert.StartsWith("sha256:", a.Version, StringComparison.Ordinal);
        Assert.NotEqual(a.Version, b.Version);
        Assert.Equal("2030-v2", named.Version);
        var cal = WorkCalendar.BuiltIn.With(a);
        Assert.Contains("2030=" + a.Version, cal.Version, StringComparison.Ordinal);
        Assert.NotEqual(WorkCalendar.BuiltIn.Version, cal.Version);
        Assert.Equal(DayKind.StatutoryHoliday, cal.KindOf(new DateOnly(2030, 1, 1)));
    }

    [Theory]
    [InlineData("""{ "year": 2030, "days": [ { "date": "2031-01-01", "isOffDay": true } ] }""", "days[0].date: 2031-01-01 is not in the file's year 2030")]
    [InlineData("""{ "year": 2030, "days": [ { "date": "2030-13-01", "isOffDay": true } ] }""", "days[0].date")]
    [InlineData("""{ "year": 2030, "days": [ { "date": "2030-01-01", "isOffDay": true }, { "date": "2030-01-01", "isOffDay": true } ] }""", "days[1].date: 2030-01-01 is listed twice")]
    [InlineData("""{ "year": 2030, "days": [ { "date": "2030-01-02" } ] }""", "days[0].isOffDay: required")]
    [InlineData("""{ "year": 2030, "days": [ { "date": "2030-01-02", "isOffDay": false } ] }""", "days[0]: 2030-01-02 is a weekday listed as a working day")]
    [InlineData("""{ "days": [] }""", "year: missing")]
    [InlineData("""{ "year": "x" """, "calendar file: not valid JSON")]
    public void A_bad_calendar_file_is_rejected_naming_the_entry(string json, string expected)
    {
        var ex = Assert.Throws<CalendarFormatException>(() => CalendarYear.Parse(json));
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }
}
