using FsCheck;
using FsCheck.Fluent;
using Kiosk.Core.Events;
using Kiosk.Core.Schedule;
using Kiosk.Core.Scoring;
using Kiosk.Core.Settings;
using Kiosk.Core.Verdicts;
using static Kiosk.Core.Tests.TestData;

namespace Kiosk.Core.Tests;

/// <summary>Laws that hold for all inputs (issue 2, "Property tests").</summary>
public sealed class PropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    // Seconds of the day between 06:00 and 19:00, on the first nine days of March 2026 (a weekend included).
    private static readonly Gen<DateTimeOffset> AnyPunch =
        from day in Gen.Choose(1, 9)
        from second in Gen.Choose(6 * 3600, 19 * 3600)
        select new DateTimeOffset(2026, 3, day, 0, 0, 0, Beijing).AddSeconds(second);

    private static readonly Gen<RulesSettings> AnySettings =
        from signOuts in Gen.Elements(false, true)
        from grace in Gen.Choose(0, 10)
        select signOuts ? RulesSettings.Default.WithGrace(grace).WithSignOuts() : RulesSettings.Default.WithGrace(grace);

    private static IReadOnlyList<SessionVerdict> Month(RulesSettings s, WorkerRecords r, DateTimeOffset upTo) =>
        new VerdictEngine(s, Cal).Judge(r, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 9), upTo);

    [Fact]
    public void Adding_a_later_duplicate_punch_never_changes_a_verdict()
    {
        var gen = from s in AnySettings
                  from punches in Gen.ListOf(AnyPunch)
                  from pick in Gen.Choose(0, 1000)
                  from laterSeconds in Gen.Choose(0, 59)
                  select (s, punches, pick, laterSeconds);
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (s, punches, pick, laterSeconds) = t;
            if (punches.Count == 0)
            {
                return true;
            }

            // A second tap in the same minute right after a counted punch can only be a duplicate.
            var sorted = punches.OrderBy(p => p).ToList();
            var original = sorted[pick % sorted.Count];
            var tap = original.AddSeconds(Math.Min(laterSeconds, 59 - original.Second));
            if (tap == original)
            {
                return true;
            }

            var before = Month(s, Records([.. punches]), AllComplete);
            var after = Month(s, Records([.. punches, tap]), AllComplete);
            return before.Zip(after).All(p => p.First with { Duplicates = 0 } == p.Second with { Duplicates = 0 });
        }));
    }

    [Fact]
    public void Any_later_punch_in_the_window_of_a_counted_sign_in_is_a_duplicate_and_changes_nothing()
    {
        // Without sign-outs the windows are [07:00, 11:30) and [12:00, 16:30): every later punch in the window of a
        // counted sign-in is a duplicate, at the door and in the verdicts.
        var s = RulesSettings.Default;
        var classifier = new PunchClassifier(s);
        var gen = from punches in Gen.ListOf(AnyPunch)
                  from pick in Gen.Choose(0, 1000)
                  from later in Gen.Choose(0, 5 * 3600)
                  select (punches, pick, later);
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var counted = t.punches
                .Select(p => (p, c: classifier.Classify(p, t.punches.Where(q => q < p).ToList(), Cal)))
                .Where(x => x.c.Outcome is PunchOutcome.OnTime or PunchOutcome.Late or PunchOutcome.SeriouslyLate or PunchOutcome.LateCountsAsHalfDayAbsence)
                .ToList();
            if (counted.Count == 0)
            {
                return true;
            }

            var (first, c) = counted[t.pick % counted.Count];
            var close = new DateTimeOffset(first.Year, first.Month, first.Day, 0, 0, 0, Beijing).AddMinutes(classifier.Schedule.WindowClose(c.Point!.Value));
            var tap = first.AddSeconds(t.later);
            if (tap >= close || tap == first)
            {
                return true;
            }

            var atDoor = classifier.Classify(tap, t.punches, Cal);
            var before = Month(s, Records([.. t.punches]), AllComplete);
            var after = Month(s, Records([.. t.punches, tap]), AllComplete);
            return atDoor.Outcome == PunchOutcome.Duplicate
                && before.Zip(after).All(p => p.First with { Duplicates = 0 } == p.Second with { Duplicates = 0 });
        }));
    }

    [Fact]
    public void The_order_in_which_punches_arrive_never_changes_a_verdict()
    {
        var gen = from s in AnySettings
                  from punches in Gen.ListOf(AnyPunch)
                  from seed in Gen.Choose(0, int.MaxValue)
                  select (s, punches, seed);
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var shuffled = t.punches.ToArray();
            new Random(t.seed).Shuffle(shuffled);
            var reversed = t.punches.AsEnumerable().Reverse().ToArray();
            var inOrder = Month(t.s, Records([.. t.punches]), AllComplete);
            return inOrder.SequenceEqual(Month(t.s, Records(shuffled), AllComplete))
                && inOrder.SequenceEqual(Month(t.s, Records(reversed), AllComplete));
        }));
    }

    [Fact]
    public void Seconds_never_matter_only_the_minute_does()
    {
        var gen = from p in AnyPunch
                  from s in Gen.Choose(0, 59)
                  from earlier in Gen.ListOf(AnyPunch)
                  select (p, s, earlier);
        var classifier = new PunchClassifier(RulesSettings.Default.WithSignOuts());
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            // The worker's earlier punches of the day (before this minute) decide duplicates and which point is next;
            // they are the same for both taps, which differ only in the seconds.
            var floor = t.p.AddSeconds(-t.p.Second);
            var earlier = t.earlier.Where(q => q < floor).ToList();
            var a = classifier.Classify(floor, earlier, Cal);
            var b = classifier.Classify(floor.AddSeconds(t.s), earlier, Cal);
            return a.Outcome == b.Outcome && a.Minutes == b.Minutes && a.Point == b.Point && a.DuplicateOf == b.DuplicateOf;
        }));
    }

    [Fact]
    public void The_door_and_the_verdict_agree_on_the_first_sign_in()
    {
        var gen = from p in AnyPunch select p;
        var classifier = new PunchClassifier(RulesSettings.Default);
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), p =>
        {
            var c = classifier.Classify(p, [], Cal);
            if (c.Outcome is not (PunchOutcome.OnTime or PunchOutcome.Late or PunchOutcome.SeriouslyLate or PunchOutcome.LateCountsAsHalfDayAbsence))
            {
                return true;
            }

            var v = Judge(Records(p), c.Date, OfficeSchedule.SessionOf(c.Point!.Value));
            var expected = c.Outcome switch
            {
                PunchOutcome.OnTime => VerdictKind.OnTime,
                PunchOutcome.Late => VerdictKind.Late,
                PunchOutcome.SeriouslyLate => VerdictKind.SeriouslyLate,
                _ => VerdictKind.AbsentHalfDay,
            };
            return v.Kind == expected && v.LateMinutes == c.Minutes;
        }));
    }

    [Fact]
    public void A_score_is_always_between_0_and_100_and_deductions_add_up_to_the_points_lost()
    {
        var gen = from s in AnySettings
                  from punches in Gen.ListOf(AnyPunch)
                  from excusedDays in Gen.ListOf(Gen.Choose(1, 9))
                  from findings in Gen.ListOf(Gen.Choose(1, 9))
                  from points in Gen.Choose(-5, 25)
                  from late in Gen.Choose(0, 100)
                  select (s, punches, excusedDays, findings, points, late);
        Check.One(Quick, Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var settings = t.s with { Deductions = t.s.Deductions with { Late = t.late / 10m, OffPostFinding = t.late / 4m } };
            var r = Records([.. t.punches]) with
            {
                Excuses = t.excusedDays.Select(d => Excuse(new DateOnly(2026, 3, d), Session.Morning, markedBy: d % 2 == 0 ? "W001" : "SEC1")).ToList(),
                Findings = t.findings.Select(d => new InspectionFinding("W001", new DateOnly(2026, 3, d), Session.Afternoon, "I", null, At(new DateOnly(2026, 3, d), 15, 0))).ToList(),
                SecretaryPoints = [new SecretaryPoints("W001", 2026, 3, t.points, "SEC1", At(new DateOnly(2026, 3, 31), 17, 0))],
            };
            var score = new MonthlyScorer(settings).Score(new VerdictEngine(settings, Cal), r, 2026, 3, AllComplete);
            return score.Total is >= 0m and <= 100m
                && score.RecordPoints is >= 0m and <= 80m
                && score.Deductions.Sum(d => d.Applied) == 80m - score.RecordPoints
                && score.Deductions.All(d => d.Applied <= d.Points);
        }));
    }
}
