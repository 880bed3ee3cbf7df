using Kiosk.Device.Simulation;

namespace Kiosk.Device.Tests.Simulation;

public sealed class SimulatedClockTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 7, 50, 0, TimeSpan.FromHours(8));

    [Fact]
    public void The_clock_starts_at_the_given_office_time_and_keeps_running()
    {
        var clock = new SimulatedClock(MondayMorning, Beijing);

        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Beijing);

        Assert.InRange(now, MondayMorning, MondayMorning.AddMinutes(1));
        Assert.Equal(Beijing, clock.LocalTimeZone);
    }

    [Fact]
    public void At_moves_the_wall_clock_forward_to_that_time_of_the_same_day()
    {
        var clock = new SimulatedClock(MondayMorning, Beijing);

        var moved = clock.MoveTo("08:05");
        var now = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Beijing);

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 5, 0, TimeSpan.FromHours(8)), moved);
        Assert.InRange(now, moved, moved.AddMinutes(1));
    }

    [Fact]
    public void At_takes_a_full_local_date_and_time_too()
    {
        var clock = new SimulatedClock(MondayMorning, Beijing);

        Assert.Equal(new DateTimeOffset(2026, 3, 3, 13, 1, 0, TimeSpan.FromHours(8)), clock.MoveTo("2026-03-03T13:01"));
    }

    [Fact]
    public void The_clock_never_moves_back_because_the_journal_must_never_see_time_run_backwards()
    {
        var clock = new SimulatedClock(MondayMorning, Beijing);
        clock.MoveTo("08:30");

        var error = Assert.Throws<ArgumentException>(() => clock.MoveTo("08:00"));

        Assert.Contains("only moves forward", error.Message, StringComparison.Ordinal);
        Assert.True(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Beijing) >= new DateTimeOffset(2026, 3, 2, 8, 30, 0, TimeSpan.FromHours(8)));
    }

    [Fact]
    public void A_time_that_is_not_a_time_is_refused_with_the_accepted_forms()
    {
        var clock = new SimulatedClock(MondayMorning, Beijing);

        var error = Assert.Throws<FormatException>(() => clock.MoveTo("soon"));

        Assert.Contains("HH:mm", error.Message, StringComparison.Ordinal);
    }
}
