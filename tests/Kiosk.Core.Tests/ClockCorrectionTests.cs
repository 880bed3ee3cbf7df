using Kiosk.Core.Events;
using Kiosk.Core.Settings;
using Kiosk.Core.Verdicts;
using static Kiosk.Core.Tests.TestData;

namespace Kiosk.Core.Tests;

public sealed class ClockCorrectionTests
{
    private static JournalEnvelope Row(long seq, AttendanceEvent ev, ClockQuality clock, string boot = "boot-1", string device = "K1") =>
        new("OFF1", device, seq, ev, boot, seq * 1000, clock, JournalHash.Genesis, string.Empty);

    // The kiosk booted with its clock a year behind: the punch at 08:05 "2025-03-02" really happened on 2026-03-02 at 08:05.
    private static readonly TimeSpan YearBehind = At(Monday, 0, 0) - At(new DateOnly(2025, 3, 2), 0, 0);

    private static Punch PunchAt(DateTimeOffset at) => new("W001", "0001623026", 5, PunchMethod.CardAndFinger, at);

    [Fact]
    public void Untrusted_punches_are_shifted_by_the_correction_of_their_boot_and_scored_on_the_right_day()
    {
        var rows = new[]
        {
            Row(1, PunchAt(At(new DateOnly(2025, 3, 2), 8, 5)), ClockQuality.Untrusted),
            Row(2, new ClockCorrection("boot-1", 1, 1, YearBehind, At(Monday, 9, 0)), ClockQuality.Synchronised),
        };
        var grouped = RecordGrouping.ByWorker([Worker()], rows);
        var punch = Assert.Single(grouped["W001"].Punches);
        Assert.True(punch.Corrected);
        Assert.Equal(At(Monday, 8, 5), punch.At);

        var v = Judge(grouped["W001"], Monday, Session.Morning);
        Assert.Equal((VerdictKind.Late, 5), (v.Kind, v.LateMinutes));
        Assert.True(v.Notes.HasFlag(VerdictNotes.ClockCorrected));
    }

    [Fact]
    public void A_correction_applies_only_to_its_device_boot_and_sequence_range_and_never_to_trusted_rows()
    {
        var wrongDay = At(new DateOnly(2025, 3, 2), 8, 5);
        var rows = new[]
        {
            Row(1, PunchAt(wrongDay), ClockQuality.Untrusted, boot: "boot-0"),
            Row(2, PunchAt(wrongDay), ClockQuality.Untrusted, device: "K2"),
            Row(3, PunchAt(wrongDay), ClockQuality.Synchronised),
            Row(4, PunchAt(wrongDay), ClockQuality.Untrusted),
            Row(5, new ClockCorrection("boot-1", 1, 3, YearBehind, At(Monday, 9, 0)), ClockQuality.Synchronised),
        };
        var rule = new ClockCorrectionRule(rows);
        Assert.False(rule.Apply(rows[0]).Corrected);
        Assert.False(rule.Apply(rows[1]).Corrected);
        Assert.Equal(wrongDay, rule.Apply(rows[2]).At);
        Assert.False(rule.Apply(rows[3]).Corrected); // sequence 4 is outside [1, 3]
        Assert.False(rule.Apply(rows[3]).Trusted);
    }

    [Fact]
    public void An_uncorrected_untrusted_punch_is_shown_for_review_not_scored_unless_settings_say_face_value()
    {
        var records = WorkerRecords.Empty(Worker()) with { Punches = [new PunchRecord(At(Monday, 8, 40), ClockQuality.Untrusted)] };
        Assert.Equal(VerdictKind.ClockUnverified, Judge(records, Monday, Session.Morning).Kind);
        var faceValue = RulesSettings.Default with { ScoreUntrustedPunchesAtFaceValue = true };
        Assert.Equal(VerdictKind.SeriouslyLate, Judge(records, Monday, Session.Morning, faceValue).Kind);
    }

    [Fact]
    public void Grouping_sorts_every_event_to_its_worker_and_skips_unknown_workers()
    {
        var rows = new[]
        {
            Row(1, PunchAt(At(Monday, 7, 59)), ClockQuality.Synchronised),
            Row(2, Excuse(Monday, Session.Afternoon), ClockQuality.Synchronised),
            Row(3, new Punch("GHOST", null, null, PunchMethod.Card, At(Monday, 8, 0)), ClockQuality.Synchronised),
            Row(4, new UnknownCard("123", At(Monday, 8, 0)), ClockQuality.Synchronised),
        };
        var centre = new AttendanceEvent[]
        {
            new SecretaryPoints("W001", 2026, 3, 18, "SEC1", At(Monday, 10, 0)),
            new InspectionFinding("W001", Monday, Session.Afternoon, "INSP", null, At(Monday, 15, 0)),
            LeaveOf(Monday, Session.Morning, 1),
        };
        var g = RecordGrouping.ByWorker([Worker()], rows, centre);
        var r = Assert.Single(g).Value;
        Assert.Single(r.Punches);
        Assert.Single(r.Excuses);
        Assert.Single(r.SecretaryPoints);
        Assert.Single(r.Findings);
        Assert.Single(r.Leaves);
    }
}
