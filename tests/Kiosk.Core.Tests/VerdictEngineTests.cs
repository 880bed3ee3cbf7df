using Kiosk.Core.Calendar;
using Kiosk.Core.Events;
using Kiosk.Core.Settings;
using Kiosk.Core.Verdicts;
using static Kiosk.Core.Tests.TestData;

namespace Kiosk.Core.Tests;

public sealed class VerdictEngineTests
{
    [Fact]
    public void On_time_late_and_seriously_late_follow_the_thresholds()
    {
        Assert.Equal(VerdictKind.OnTime, Judge(Records(At(Monday, 8, 0, 59)), Monday, Session.Morning).Kind);
        var late = Judge(Records(At(Monday, 8, 7)), Monday, Session.Morning);
        Assert.Equal((VerdictKind.Late, 7, new TimeOnly(8, 7)), (late.Kind, late.LateMinutes, late.SignInAt!.Value));
        Assert.Equal(VerdictKind.SeriouslyLate, Judge(Records(At(Monday, 13, 45)), Monday, Session.Afternoon).Kind);
    }

    [Fact]
    public void Late_beyond_the_half_day_threshold_is_half_a_day_of_absence_with_its_minutes()
    {
        var v = Judge(Records(At(Monday, 9, 15)), Monday, Session.Morning);
        Assert.Equal(VerdictKind.AbsentHalfDay, v.Kind);
        Assert.Equal(75, v.LateMinutes);
    }

    [Fact]
    public void No_sign_in_after_the_watermark_is_pending_and_before_it_is_absence()
    {
        var r = Records();
        Assert.Equal(VerdictKind.Pending, Judge(r, Monday, Session.Morning, upTo: At(Monday, 11, 29)).Kind);
        Assert.Equal(VerdictKind.AbsentHalfDay, Judge(r, Monday, Session.Morning, upTo: At(Monday, 11, 30)).Kind);
        Assert.Equal(VerdictKind.Pending, Judge(r, Monday, Session.Afternoon, upTo: At(Monday, 11, 30)).Kind);
        Assert.Equal(VerdictKind.Pending, Judge(r, Monday, Session.Morning, upTo: At(Monday.AddDays(-7), 12, 0)).Kind);
    }

    [Fact]
    public void A_punch_that_arrived_is_judged_even_before_the_watermark_reaches_it()
    {
        Assert.Equal(VerdictKind.Late, Judge(Records(At(Monday, 8, 3)), Monday, Session.Morning, upTo: At(Monday, 7, 0)).Kind);
    }

    [Fact]
    public void Weekends_holidays_and_days_outside_employment_are_not_required()
    {
        var r = Records();
        var sat = Judge(r, new DateOnly(2026, 3, 7), Session.Morning);
        Assert.Equal((VerdictKind.NotRequired, NotRequiredReason.Weekend), (sat.Kind, sat.NotRequired));
        var hol = Judge(r, new DateOnly(2026, 2, 16), Session.Afternoon);
        Assert.Equal((VerdictKind.NotRequired, NotRequiredReason.Holiday), (hol.Kind, hol.NotRequired));
        var newcomer = WorkerRecords.Empty(Worker(from: Monday.AddDays(1)));
        Assert.Equal(NotRequiredReason.NotEmployed, Judge(newcomer, Monday, Session.Morning).NotRequired);
        var leaver = WorkerRecords.Empty(Worker(to: Monday.AddDays(-1)));
        Assert.Equal(NotRequiredReason.NotEmployed, Judge(leaver, Monday, Session.Morning).NotRequired);
        Assert.False(sat.Required);
    }

    [Fact]
    public void An_adjusted_saturday_requires_sign_in_like_a_weekday()
    {
        var sat = new DateOnly(2026, 2, 14);
        var v = Judge(Records(), sat, Session.Morning);
        Assert.Equal(VerdictKind.AbsentHalfDay, v.Kind);
        Assert.Equal(DayKind.AdjustedWorkday, v.Day);
    }

    [Fact]
    public void A_year_without_calendar_gives_calendar_unknown()
    {
        var d = new DateOnly(2027, 3, 1);
        Assert.Equal(VerdictKind.CalendarUnknown, Judge(Records(At(d, 8, 30)), d, Session.Morning).Kind);
    }

    [Fact]
    public void A_reason_marked_by_the_officer_excuses_a_missed_or_late_sign_in()
    {
        var missed = Judge(Records().With(Excuse(Monday, Session.Morning)), Monday, Session.Morning);
        Assert.Equal((VerdictKind.Excused, ExcuseReason.Meeting, "SEC1"), (missed.Kind, missed.ExcuseReason!.Value, missed.ExcusedBy));
        var late = Judge(Records(At(Monday, 8, 40)).With(Excuse(Monday, Session.Morning)), Monday, Session.Morning);
        Assert.Equal((VerdictKind.Excused, 40), (late.Kind, late.LateMinutes));
        var other = Judge(Records().With(Excuse(Monday, Session.Afternoon)), Monday, Session.Morning);
        Assert.Equal(VerdictKind.AbsentHalfDay, other.Kind);
    }

    [Fact]
    public void A_self_excuse_is_ignored_and_reported()
    {
        var v = Judge(Records().With(Excuse(Monday, Session.Morning, markedBy: "W001")), Monday, Session.Morning);
        Assert.Equal(VerdictKind.AbsentHalfDay, v.Kind);
        Assert.True(v.Notes.HasFlag(VerdictNotes.SelfExcuseIgnored));
        Assert.True(ExcuseRule.IsSelfExcuse(Excuse(Monday, Session.Morning, markedBy: "W001")));
    }

    [Fact]
    public void Approved_leave_covers_working_half_days_skipping_the_weekend()
    {
        // Friday 2026-03-06 afternoon + 3 half-days → Fri pm, Mon am, Mon pm (Sat/Sun skipped); Tue am not covered.
        var friday = new DateOnly(2026, 3, 6);
        var r = Records().With(LeaveOf(friday, Session.Afternoon, 3));
        var engine = new VerdictEngine(RulesSettings.Default, Cal);
        var v = engine.Judge(r, friday, new DateOnly(2026, 3, 10), AllComplete);
        Assert.Equal(VerdictKind.AbsentHalfDay, v[0].Kind); // Fri am
        Assert.Equal(VerdictKind.OnLeave, v[1].Kind);
        Assert.Equal(LeaveType.Sick, v[1].LeaveType);
        Assert.Equal(VerdictKind.NotRequired, v[2].Kind); // Sat
        Assert.Equal(VerdictKind.OnLeave, v[6].Kind); // Mon am
        Assert.Equal(VerdictKind.OnLeave, v[7].Kind); // Mon pm
        Assert.Equal(VerdictKind.AbsentHalfDay, v[8].Kind); // Tue am
        Assert.Equal(
            [(friday, Session.Afternoon), (Monday.AddDays(7), Session.Morning), (Monday.AddDays(7), Session.Afternoon)],
            LeaveCoverage.SessionsCovered(r.Leaves[0], Cal));
    }

    [Fact]
    public void Leave_over_a_holiday_does_not_use_up_half_days_on_it()
    {
        // 2026-02-13 (Fri) pm + 4 half-days → Fri pm, Sat 02-14 (调休) am and pm, then 02-15…02-23 (春节) skipped → Tue 02-24 am.
        var covered = LeaveCoverage.SessionsCovered(LeaveOf(new DateOnly(2026, 2, 13), Session.Afternoon, 4), Cal);
        Assert.Equal(
            [(new DateOnly(2026, 2, 13), Session.Afternoon), (new DateOnly(2026, 2, 14), Session.Morning), (new DateOnly(2026, 2, 14), Session.Afternoon), (new DateOnly(2026, 2, 24), Session.Morning)],
            covered);
    }

    [Fact]
    public void Pending_leave_is_neither_absence_nor_covered()
    {
        var r = Records().With(LeaveOf(Monday, Session.Morning, 1, LeaveState.Requested));
        var v = Judge(r, Monday, Session.Morning);
        Assert.Equal(VerdictKind.PendingLeave, v.Kind);
        Assert.Equal(VerdictKind.AbsentHalfDay, Judge(r, Monday, Session.Afternoon).Kind);
    }

    [Fact]
    public void The_latest_decision_on_a_leave_wins_and_refused_or_cancelled_leave_covers_nothing()
    {
        var requested = LeaveOf(Monday, Session.Morning, 2, LeaveState.Requested, at: At(Monday.AddDays(-5), 9, 0));
        var approved = requested with { State = LeaveState.Approved, At = At(Monday.AddDays(-4), 9, 0) };
        var cancelled = requested with { State = LeaveState.Cancelled, At = At(Monday.AddDays(-3), 9, 0) };
        Assert.Equal(VerdictKind.OnLeave, Judge(Records().With(requested, approved), Monday, Session.Afternoon).Kind);
        Assert.Equal(VerdictKind.AbsentHalfDay, Judge(Records().With(approved, cancelled, requested), Monday, Session.Afternoon).Kind);
        Assert.Equal(VerdictKind.AbsentHalfDay, Judge(Records().With(requested with { State = LeaveState.Refused, At = At(Monday, 6, 0) }, requested), Monday, Session.Morning).Kind);
    }

    [Fact]
    public void Approved_leave_wins_over_a_punch()
    {
        var v = Judge(Records(At(Monday, 8, 40)).With(LeaveOf(Monday, Session.Morning, 1)), Monday, Session.Morning);
        Assert.Equal(VerdictKind.OnLeave, v.Kind);
    }

    [Fact]
    public void An_approved_outing_covers_the_sign_in_point_but_a_self_approved_or_too_long_one_does_not()
    {
        var start = At(Monday, 7, 30);
        var ok = new Outing("W001", start, TimeSpan.FromMinutes(90), "SEC1", "走访", start);
        Assert.Equal(VerdictKind.OnOuting, Judge(Records().With(ok), Monday, Session.Morning).Kind);
        var self = ok with { ApprovedBy = "W001" };
        var sv = Judge(Records().With(self), Monday, Session.Morning);
        Assert.Equal(VerdictKind.AbsentHalfDay, sv.Kind);
        Assert.True(sv.Notes.HasFlag(VerdictNotes.SelfApprovedOutingIgnored));
        var tooLong = ok with { Duration = TimeSpan.FromMinutes(121) };
        Assert.True(Judge(Records().With(tooLong), Monday, Session.Morning).Notes.HasFlag(VerdictNotes.OutingTooLongIgnored));
    }

    [Fact]
    public void Early_leave_and_missing_sign_out_are_measured_only_where_sign_outs_are_configured()
    {
        var withOuts = RulesSettings.Default.WithSignOuts();
        var early = Judge(Records(At(Monday, 7, 55), At(Monday, 11, 10)), Monday, Session.Morning, withOuts);
        Assert.Equal((VerdictKind.OnTime, SignOutOutcome.EarlyLeave, 20), (early.Kind, early.SignOut, early.EarlyLeaveMinutes));
        var missing = Judge(Records(At(Monday, 7, 55)), Monday, Session.Morning, withOuts);
        Assert.Equal(SignOutOutcome.Missing, missing.SignOut);
        var pending = Judge(Records(At(Monday, 7, 55)), Monday, Session.Morning, withOuts, At(Monday, 11, 45));
        Assert.Equal(SignOutOutcome.Pending, pending.SignOut);
        var without = Judge(Records(At(Monday, 7, 55), At(Monday, 11, 10)), Monday, Session.Morning);
        Assert.Equal(SignOutOutcome.NotMeasured, without.SignOut);
        Assert.Equal(1, without.Duplicates);
    }

    [Fact]
    public void A_sign_out_without_a_sign_in_does_not_save_the_session()
    {
        var v = Judge(Records(At(Monday, 11, 35)), Monday, Session.Morning, RulesSettings.Default.WithSignOuts());
        Assert.Equal(VerdictKind.AbsentHalfDay, v.Kind);
        Assert.True(v.Notes.HasFlag(VerdictNotes.SignOutWithoutSignIn));
    }

    [Fact]
    public void Inspection_findings_are_counted_on_their_session()
    {
        var f = new InspectionFinding("W001", Monday, Session.Afternoon, "INSP", "脱岗", At(Monday, 15, 0));
        var engine = new VerdictEngine(RulesSettings.Default, Cal);
        var v = engine.Judge(Records(At(Monday, 7, 50), At(Monday, 12, 50)).With(f, f with { At = At(Monday, 15, 30) }), Monday, Monday, AllComplete);
        Assert.Equal(0, v[0].OffPostFindings);
        Assert.Equal(2, v[1].OffPostFindings);
        Assert.Equal(VerdictKind.OnTime, v[1].Kind);
    }

    [Fact]
    public void A_month_has_two_verdicts_per_day_in_date_order()
    {
        var v = new VerdictEngine(RulesSettings.Default, Cal).JudgeMonth(Records(), 2026, 2, AllComplete);
        Assert.Equal(56, v.Count);
        Assert.Equal(new DateOnly(2026, 2, 1), v[0].Date);
        Assert.Equal(Session.Afternoon, v[1].Session);
        Assert.Equal(new DateOnly(2026, 2, 28), v[^1].Date);
    }

    [Fact]
    public void An_approved_outing_over_the_sign_out_point_is_not_early_leave()
    {
        var withOuts = RulesSettings.Default.WithSignOuts();
        var start = At(Monday, 15, 0);
        var outing = new Outing("W001", start, TimeSpan.FromMinutes(120), "SEC1", "走访", start);
        var v = Judge(Records(At(Monday, 12, 50)).With(outing), Monday, Session.Afternoon, withOuts);
        Assert.Equal((VerdictKind.OnTime, SignOutOutcome.CoveredByOuting), (v.Kind, v.SignOut));
    }

    [Fact]
    public void The_watermark_is_compared_as_an_instant_whatever_offset_it_is_written_in()
    {
        var r = Records();
        var utcJustBefore = new DateTimeOffset(2026, 3, 2, 3, 29, 0, TimeSpan.Zero); // 11:29 in Beijing
        var utcAtClose = new DateTimeOffset(2026, 3, 2, 3, 30, 0, TimeSpan.Zero); // 11:30 in Beijing
        Assert.Equal(VerdictKind.Pending, Judge(r, Monday, Session.Morning, upTo: utcJustBefore).Kind);
        Assert.Equal(VerdictKind.AbsentHalfDay, Judge(r, Monday, Session.Morning, upTo: utcAtClose).Kind);
    }

    [Fact]
    public void A_worker_who_joins_mid_month_is_required_only_from_the_first_day()
    {
        var joiner = WorkerRecords.Empty(Worker(from: new DateOnly(2026, 3, 16)));
        var s = new Scoring.MonthlyScorer(RulesSettings.Default).Score(new VerdictEngine(RulesSettings.Default, Cal), joiner, 2026, 3, AllComplete);
        Assert.Equal(24, s.Counts.RequiredHalfDays); // 12 workdays from 16 to 31 March
        Assert.Equal(24, s.Counts.AbsentHalfDays);
    }

    [Fact]
    public void A_leave_that_reaches_a_year_without_calendar_stops_there()
    {
        var covered = LeaveCoverage.SessionsCovered(LeaveOf(new DateOnly(2026, 12, 31), Session.Morning, 6), Cal);
        Assert.Equal([(new DateOnly(2026, 12, 31), Session.Morning), (new DateOnly(2026, 12, 31), Session.Afternoon)], covered);
    }
}
