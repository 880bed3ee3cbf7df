using Kiosk.Core.Calendar;
using Kiosk.Core.Events;
using Kiosk.Core.Schedule;
using Kiosk.Core.Settings;
using static Kiosk.Core.Tests.TestData;

namespace Kiosk.Core.Tests;

public sealed class PunchClassifierTests
{
    private static readonly PunchClassifier Default = new(RulesSettings.Default);
    private static readonly PunchClassifier SignOuts = new(RulesSettings.Default.WithSignOuts());

    private static PunchClassification Classify(PunchClassifier c, DateTimeOffset at, params DateTimeOffset[] earlier) => c.Classify(at, earlier, Cal);

    [Theory]
    [InlineData(7, 30, 0, PunchOutcome.OnTime, 0)]
    [InlineData(8, 0, 0, PunchOutcome.OnTime, 0)]
    [InlineData(8, 0, 59, PunchOutcome.OnTime, 0)] // seconds are dropped
    [InlineData(8, 1, 0, PunchOutcome.Late, 1)]
    [InlineData(8, 29, 59, PunchOutcome.Late, 29)]
    [InlineData(8, 30, 0, PunchOutcome.SeriouslyLate, 30)]
    [InlineData(8, 59, 59, PunchOutcome.SeriouslyLate, 59)]
    [InlineData(9, 0, 0, PunchOutcome.LateCountsAsHalfDayAbsence, 60)]
    [InlineData(13, 1, 0, PunchOutcome.Late, 1)]
    public void The_minute_rule_decides_on_time_and_late(int h, int m, int s, PunchOutcome outcome, int minutes)
    {
        var c = Classify(Default, At(Monday, h, m, s));
        Assert.Equal(outcome, c.Outcome);
        Assert.Equal(minutes, c.Minutes);
        Assert.Equal(h < 12 ? PunchPoint.MorningSignIn : PunchPoint.AfternoonSignIn, c.Point);
    }

    [Theory]
    [InlineData(8, 5, 59, PunchOutcome.OnTime, 0)]
    [InlineData(8, 6, 0, PunchOutcome.Late, 6)] // late minutes count from the point, not from the grace
    public void Grace_minutes_move_the_on_time_boundary(int h, int m, int s, PunchOutcome outcome, int minutes)
    {
        var c = Classify(new PunchClassifier(RulesSettings.Default.WithGrace(5)), At(Monday, h, m, s));
        Assert.Equal(outcome, c.Outcome);
        Assert.Equal(minutes, c.Minutes);
    }

    [Theory]
    [InlineData(6, 59, 59)] // before the morning window opens (07:00)
    [InlineData(11, 30, 0)] // morning window closed, afternoon not yet open
    [InlineData(11, 59, 59)]
    [InlineData(16, 30, 0)] // afternoon window closed
    [InlineData(23, 0, 0)]
    public void A_punch_outside_every_window_counts_for_nothing(int h, int m, int s)
    {
        var c = Classify(Default, At(Monday, h, m, s));
        Assert.Equal(PunchOutcome.OutsideWindows, c.Outcome);
        Assert.Null(c.Point);
        Assert.Equal("不在签到时间", c.ToDisplayText());
    }

    [Fact]
    public void Windows_open_and_close_on_their_exact_minutes()
    {
        Assert.Equal(PunchOutcome.OnTime, Classify(Default, At(Monday, 7, 0)).Outcome);
        Assert.Equal(PunchPoint.MorningSignIn, Classify(Default, At(Monday, 11, 29, 59)).Point);
        Assert.Equal(PunchPoint.AfternoonSignIn, Classify(Default, At(Monday, 12, 0)).Point);
    }

    [Fact]
    public void The_first_punch_in_a_window_counts_and_a_later_one_is_a_duplicate_of_it()
    {
        var c = Classify(Default, At(Monday, 8, 2), At(Monday, 7, 58, 30));
        Assert.Equal(PunchOutcome.Duplicate, c.Outcome);
        Assert.Equal(PunchPoint.MorningSignIn, c.Point);
        Assert.Equal(new TimeOnly(7, 58, 30), c.DuplicateOf);
        Assert.Equal("已签到 07:58", c.ToDisplayText());
    }

    [Fact]
    public void Punches_of_other_days_do_not_make_a_duplicate()
    {
        var c = Classify(Default, At(Monday, 8, 2), At(Monday.AddDays(-3), 7, 58));
        Assert.Equal(PunchOutcome.Late, c.Outcome);
        Assert.Equal("上午签到 迟到2分钟", c.ToDisplayText());
    }

    [Fact]
    public void The_afternoon_sign_in_is_separate_from_the_morning()
    {
        var c = Classify(Default, At(Monday, 12, 58), At(Monday, 7, 58));
        Assert.Equal(PunchPoint.AfternoonSignIn, c.Point);
        Assert.Equal(PunchOutcome.OnTime, c.Outcome);
        Assert.Equal("下午签到 准时", c.ToDisplayText());
    }

    [Fact]
    public void With_sign_outs_a_later_punch_measures_early_leave_and_seconds_are_dropped()
    {
        var early = Classify(SignOuts, At(Monday, 11, 0), At(Monday, 7, 55));
        Assert.Equal(PunchPoint.MorningSignOut, early.Point);
        Assert.Equal(PunchOutcome.EarlyLeave, early.Outcome);
        Assert.Equal(30, early.Minutes);
        Assert.Equal("上午签退 早退30分钟", early.ToDisplayText());

        var lastMinute = Classify(SignOuts, At(Monday, 11, 29, 59), At(Monday, 7, 55));
        Assert.Equal(1, lastMinute.Minutes);
        Assert.Equal(PunchOutcome.OnTime, Classify(SignOuts, At(Monday, 11, 30), At(Monday, 7, 55)).Outcome);
        Assert.Equal(PunchOutcome.OnTime, Classify(SignOuts, At(Monday, 16, 45), At(Monday, 12, 55)).Outcome);
    }

    [Fact]
    public void With_sign_outs_a_quick_second_tap_is_still_a_duplicate_of_the_sign_in()
    {
        var c = Classify(SignOuts, At(Monday, 8, 3), At(Monday, 7, 58));
        Assert.Equal(PunchOutcome.Duplicate, c.Outcome);
        Assert.Equal(PunchPoint.MorningSignIn, c.Point);
        var afterSignOut = Classify(SignOuts, At(Monday, 11, 40), At(Monday, 7, 58), At(Monday, 11, 31));
        Assert.Equal(PunchOutcome.Duplicate, afterSignOut.Outcome);
        Assert.Equal("已签退 11:31", afterSignOut.ToDisplayText());
    }

    [Fact]
    public void A_holiday_records_the_punch_and_says_it_is_not_a_workday()
    {
        var c = Classify(Default, At(new DateOnly(2026, 2, 16), 8, 0));
        Assert.Equal(PunchOutcome.NotAWorkday, c.Outcome);
        Assert.Equal(DayKind.StatutoryHoliday, c.Day);
        Assert.Equal("春节 非工作日", c.ToDisplayText());
        Assert.Equal(PunchOutcome.NotAWorkday, Classify(Default, At(new DateOnly(2026, 3, 7), 8, 0)).Outcome);
    }

    [Fact]
    public void An_adjusted_saturday_is_a_workday_at_the_door()
    {
        var c = Classify(Default, At(new DateOnly(2026, 2, 14), 8, 10));
        Assert.Equal(DayKind.AdjustedWorkday, c.Day);
        Assert.Equal(PunchOutcome.Late, c.Outcome);
    }

    [Fact]
    public void A_punch_written_in_utc_is_judged_in_office_time()
    {
        var utc = new DateTimeOffset(2026, 3, 2, 0, 1, 0, TimeSpan.Zero); // 08:01 in Beijing
        var c = Classify(Default, utc);
        Assert.Equal(Monday, c.Date);
        Assert.Equal(PunchOutcome.Late, c.Outcome);
        Assert.Equal(1, c.Minutes);
    }

    [Fact]
    public void The_idle_screen_shows_the_next_sign_in_point()
    {
        Assert.Equal(new NextSignIn(Monday, Session.Morning, new TimeOnly(8, 0)), Default.NextSignIn(At(Monday, 7, 59, 59), Cal));
        Assert.Equal(new NextSignIn(Monday, Session.Afternoon, new TimeOnly(13, 0)), Default.NextSignIn(At(Monday, 8, 0), Cal));
        Assert.Equal(new NextSignIn(Monday.AddDays(1), Session.Morning, new TimeOnly(8, 0)), Default.NextSignIn(At(Monday, 13, 0), Cal));
        // Friday 2026-02-13 afternoon → the adjusted Saturday 2026-02-14.
        Assert.Equal(new DateOnly(2026, 2, 14), Default.NextSignIn(At(new DateOnly(2026, 2, 13), 17, 0), Cal)!.Date);
        Assert.Null(Default.NextSignIn(At(new DateOnly(2027, 1, 4), 7, 0), Cal));
    }
}
