using Kiosk.Core.Calendar;
using Kiosk.Core.Events;
using Kiosk.Core.Scoring;
using Kiosk.Core.Settings;
using Kiosk.Core.Verdicts;
using static Kiosk.Core.Tests.TestData;

namespace Kiosk.Core.Tests;

public sealed class ScoringTests
{
    private static readonly VerdictEngine Engine = new(RulesSettings.Default, Cal);
    private static readonly MonthlyScorer Scorer = new(RulesSettings.Default);

    /// <summary>Every workday of March 2026 (22 days) signed on time, morning and afternoon.</summary>
    private static List<DateTimeOffset> PerfectMarch()
    {
        var punches = new List<DateTimeOffset>();
        for (var d = new DateOnly(2026, 3, 1); d.Month == 3; d = d.AddDays(1))
        {
            if (Cal.KindOf(d).IsWorkday())
            {
                punches.Add(At(d, 7, 55));
                punches.Add(At(d, 12, 55));
            }
        }

        return punches;
    }

    private static SecretaryPoints Points(int p, string by = "SEC1", int minute = 0) => new("W001", 2026, 3, p, by, At(new DateOnly(2026, 3, 31), 17, minute));

    [Fact]
    public void A_perfect_month_scores_80_plus_the_secretarys_points_and_is_full_attendance()
    {
        var r = Records([.. PerfectMarch()]) with { SecretaryPoints = [Points(18)] };
        var s = Scorer.Score(Engine, r, 2026, 3, AllComplete);
        Assert.Equal(80m, s.RecordPoints);
        Assert.Equal(18m, s.SecretaryPoints);
        Assert.Equal(98m, s.Total);
        Assert.True(s.FullAttendance);
        Assert.True(s.Complete);
        Assert.Equal(44, s.Counts.RequiredHalfDays);
        Assert.Equal(44, s.Counts.OnTime);
        Assert.Empty(s.Deductions);
    }

    [Fact]
    public void Every_deduction_names_the_verdict_that_caused_it()
    {
        var punches = PerfectMarch();
        punches.Remove(At(Monday, 7, 55));
        punches.Add(At(Monday, 8, 4)); // late 4 min
        punches.Remove(At(Monday.AddDays(1), 12, 55)); // Tue afternoon: no sign-in → 旷工
        var finding = new InspectionFinding("W001", Monday.AddDays(2), Session.Morning, "INSP", null, At(Monday.AddDays(2), 10, 0));
        var s = Scorer.Score(Engine, Records([.. punches]).With(finding), 2026, 3, AllComplete);

        Assert.Equal(3, s.Deductions.Count);
        var late = s.Deductions[0];
        Assert.Equal((DeductionKind.Late, Monday, Session.Morning, 1m, 1m), (late.Kind, late.Date, late.Session, late.Points, late.Applied));
        Assert.Equal("迟到4分钟 (08:04)", late.Cause);
        Assert.Equal(VerdictKind.Late, late.Verdict.Kind);
        Assert.Equal((DeductionKind.AbsentHalfDay, Session.Afternoon), (s.Deductions[1].Kind, s.Deductions[1].Session));
        Assert.Equal(DeductionKind.OffPostFinding, s.Deductions[2].Kind);
        Assert.Equal(80m - 1m - 5m - 5m, s.RecordPoints);
        Assert.False(s.FullAttendance);
        Assert.Equal((1, 4, 1, 1), (s.Counts.Late, s.Counts.LateMinutes, s.Counts.AbsentHalfDays, s.Counts.OffPostFindings));
    }

    [Fact]
    public void Deductions_are_floored_at_zero_and_the_applied_amounts_add_up_to_the_points_lost()
    {
        var s = Scorer.Score(Engine, Records() with { SecretaryPoints = [Points(20)] }, 2026, 3, AllComplete);
        Assert.Equal(44, s.Counts.AbsentHalfDays);
        Assert.Equal(0m, s.RecordPoints);
        Assert.Equal(20m, s.Total);
        Assert.Equal(80m, s.Deductions.Sum(d => d.Applied));
        Assert.Equal(44m * 5m, s.Deductions.Sum(d => d.Points));
        Assert.Equal(0m, s.Deductions[^1].Applied);
    }

    [Fact]
    public void Early_leave_and_missing_sign_outs_are_deducted_where_sign_outs_are_configured()
    {
        var settings = RulesSettings.Default.WithSignOuts();
        var punches = PerfectMarch();
        foreach (var d in punches.Select(p => DateOnly.FromDateTime(p.DateTime)).Distinct().ToList())
        {
            punches.Add(At(d, 11, 31));
            punches.Add(At(d, 16, 31));
        }

        punches.Remove(At(Monday, 11, 31));
        punches.Add(At(Monday, 11, 0)); // early leave 30 min
        punches.Remove(At(Monday, 16, 31)); // missing sign-out
        var s = new MonthlyScorer(settings).Score(new VerdictEngine(settings, Cal), Records([.. punches]), 2026, 3, AllComplete);
        Assert.Equal((1, 30, 1), (s.Counts.EarlyLeave, s.Counts.EarlyLeaveMinutes, s.Counts.MissingSignOut));
        Assert.Equal([DeductionKind.EarlyLeave, DeductionKind.MissingSignOut], s.Deductions.Select(d => d.Kind));
        Assert.Equal("早退30分钟 (11:00)", s.Deductions[0].Cause);
        Assert.Equal(78m, s.RecordPoints);
        Assert.False(s.FullAttendance);
    }

    [Fact]
    public void Leave_and_excuses_keep_full_attendance_but_pending_days_do_not()
    {
        var punches = PerfectMarch();
        punches.Remove(At(Monday, 7, 55));
        punches.Remove(At(Monday, 12, 55));
        var r = Records([.. punches]).With(Excuse(Monday, Session.Morning)).With(LeaveOf(Monday, Session.Afternoon, 1));
        var s = Scorer.Score(Engine, r, 2026, 3, AllComplete);
        Assert.True(s.FullAttendance);
        Assert.Equal((1, 1), (s.Counts.Excused, s.Counts.LeaveHalfDays));

        var early = Scorer.Score(Engine, Records([.. PerfectMarch()]), 2026, 3, At(new DateOnly(2026, 3, 20), 12, 0));
        Assert.True(early.Complete); // every session had its punch already
        var missingLater = Scorer.Score(Engine, Records(), 2026, 3, At(new DateOnly(2026, 3, 20), 12, 0));
        Assert.False(missingLater.Complete);
        Assert.False(missingLater.FullAttendance);
        Assert.Equal(15, missingLater.Counts.Pending);
        Assert.Equal(29, missingLater.Counts.AbsentHalfDays);
    }

    [Fact]
    public void Secretary_points_out_of_range_or_given_to_oneself_are_ignored_and_reported()
    {
        var good = Points(15, minute: 0);
        Assert.Equal((15m, SecretaryPointsStatus.Given), Score(good));
        Assert.Equal((15m, SecretaryPointsStatus.OutOfRangeIgnored), Score(good, Points(25, minute: 5)));
        Assert.Equal((15m, SecretaryPointsStatus.SelfGivenIgnored), Score(good, new SecretaryPoints("W001", 2026, 3, 20, "W001", At(new DateOnly(2026, 3, 31), 18, 0))));
        Assert.Equal((12m, SecretaryPointsStatus.Given), Score(good, Points(12, minute: 9)));
        Assert.Equal(((decimal?)null, SecretaryPointsStatus.Missing), Score());

        static (decimal?, SecretaryPointsStatus) Score(params SecretaryPoints[] p)
        {
            var s = Scorer.Score("W001", 2026, 3, [], p);
            return (s.SecretaryPoints, s.SecretaryPointsStatus);
        }
    }

    [Fact]
    public void A_self_excuse_is_counted_in_the_month_so_the_report_can_show_it()
    {
        var s = Scorer.Score(Engine, Records().With(Excuse(Monday, Session.Morning, markedBy: "W001")), 2026, 3, AllComplete);
        Assert.Equal(1, s.Counts.SelfExcusesIgnored);
    }

    [Fact]
    public void The_deduction_table_is_configurable()
    {
        var settings = RulesSettings.Default with { Deductions = new DeductionTable { Late = 0.5m, AbsentHalfDay = 10m } };
        var punches = PerfectMarch();
        punches.Remove(At(Monday, 7, 55));
        punches.Add(At(Monday, 8, 4));
        var s = new MonthlyScorer(settings).Score(new VerdictEngine(settings, Cal), Records([.. punches]), 2026, 3, AllComplete);
        Assert.Equal(79.5m, s.RecordPoints);
    }
}
