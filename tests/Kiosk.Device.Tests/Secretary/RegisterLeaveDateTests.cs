using Kiosk.Device.Secretary;

namespace Kiosk.Device.Tests.Secretary;

/// <summary>登记请假 takes the start as MMDD on the keypad: the year is the one that puts the date nearest today.</summary>
public sealed class RegisterLeaveDateTests
{
    [Theory]
    [InlineData("2026-03-02", "0305", "2026-03-05")]
    [InlineData("2026-03-02", "0227", "2026-02-27")]
    [InlineData("2026-12-28", "0105", "2027-01-05")]
    [InlineData("2027-01-03", "1230", "2026-12-30")]
    [InlineData("2026-03-02", "305", "2026-03-05")]
    public void A_month_and_day_mean_the_date_nearest_today(string today, string typed, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            RegisterLeave.TryStartFromMonthDay(typed, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("1301")]
    [InlineData("0230")]
    [InlineData("0229")]
    [InlineData("12345")]
    public void A_date_that_does_not_exist_near_today_is_refused(string typed) =>
        Assert.Null(RegisterLeave.TryStartFromMonthDay(typed, new DateOnly(2026, 3, 2)));
}
