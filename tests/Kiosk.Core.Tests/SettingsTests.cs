using Kiosk.Core.Roster;
using Kiosk.Core.Settings;

namespace Kiosk.Core.Tests;

public sealed class SettingsTests
{
    [Fact]
    public void The_defaults_are_valid_and_follow_the_policy()
    {
        var d = RulesSettings.Default;
        Assert.Empty(RulesSettingsValidator.Validate(d));
        Assert.Equal(new TimeOnly(8, 0), d.Schedule.Morning.SignIn);
        Assert.Equal(new TimeOnly(13, 0), d.Schedule.Afternoon.SignIn);
        Assert.Equal(new TimeOnly(11, 30), d.Schedule.Morning.End);
        Assert.Equal(new TimeOnly(16, 30), d.Schedule.Afternoon.End);
        Assert.Equal(80m, d.Score.RecordPoints);
        Assert.Equal(20m, d.Score.SecretaryMaxPoints);
        Assert.Equal(5m, d.Year.AbsenceAlertDays);
        Assert.Equal(0, d.Schedule.GraceMinutes);
        Assert.Equal(TimeSpan.FromHours(8), d.UtcOffset);
    }

    [Fact]
    public void The_default_document_round_trips_through_json_with_times_as_hours_and_minutes()
    {
        var json = RulesSettingsJson.Serialize(RulesSettings.Default);
        Assert.Contains("\"signIn\": \"08:00\"", json, StringComparison.Ordinal);
        var back = RulesSettingsJson.Parse(json);
        Assert.Equal(RulesSettingsJson.Serialize(RulesSettings.Default), RulesSettingsJson.Serialize(back));
    }

    [Fact]
    public void A_partial_document_keeps_every_default_it_does_not_mention()
    {
        var s = RulesSettingsJson.Parse("""{ "version": "office-7/3", "schedule": { "graceMinutes": 5, "morning": { "start": "08:30", "end": "12:00", "signIn": "08:30", "signOut": "12:00", "signInWindow": { "opensMinutesBefore": 60, "closesMinutesAfter": 200 }, "signOutWindow": { "opensMinutesBefore": 180, "closesMinutesAfter": 30 } } } }""");
        Assert.Equal("office-7/3", s.Version);
        Assert.Equal(5, s.Schedule.GraceMinutes);
        Assert.Equal(new TimeOnly(8, 30), s.Schedule.Morning.SignIn);
        Assert.Equal(new TimeOnly(13, 0), s.Schedule.Afternoon.SignIn);
        Assert.Equal(5m, s.Deductions.AbsentHalfDay);
    }

    [Theory]
    [InlineData("""{ "schedule": { "morning": { "start": "08:00", "end": "11:30", "signIn": "12:00", "signOut": "11:30", "signInWindow": { "opensMinutesBefore": 60, "closesMinutesAfter": 30 }, "signOutWindow": { "opensMinutesBefore": 60, "closesMinutesAfter": 30 } } } }""", "schedule.morning.signIn: 12:00 must lie within office hours 08:00–11:30")]
    [InlineData("""{ "schedule": { "morning": { "start": "8h", "end": "11:30" } } }""", "schedule.morning.start: '8h' is not a time of day \"HH:mm\"")]
    [InlineData("""{ "schedule": { "gracee": 3 } }""", "schedule")]
    [InlineData("""{ "deductions": null }""", "deductions")]
    [InlineData("""{ "deductions": { "late": -1 } }""", "deductions.late: must be between 0 and 100 points, got -1")]
    [InlineData("""{ "schedule": { "graceMinutes": 40 } }""", "schedule.seriouslyLateMinutes: must be greater than graceMinutes (40), got 30")]
    [InlineData("""{ "schedule": { "halfDayAbsenceLateMinutes": 10 } }""", "schedule.halfDayAbsenceLateMinutes: must be at least seriouslyLateMinutes (30), got 10")]
    [InlineData("""{ "score": { "recordPoints": 90 } }""", "score.secretaryMaxPoints: recordPoints (90) + secretaryMaxPoints (20) must make the 100-point scale")]
    [InlineData("""{ "year": { "grades": [ { "grade": "Excellent", "label": "优秀", "minAverageScore": 95 } ] } }""", "year.grades[0]: the last band must have no limits")]
    [InlineData("""{ "leaveLadder": { "rungs": [ { "upToMinutes": 420, "approvers": ["Secretary"] }, { "upToMinutes": 120, "approvers": ["Head"] }, { "upToMinutes": null, "approvers": ["Head"] } ] } }""", "leaveLadder.rungs[1].upToMinutes: 120 must be greater than the previous rung's 420")]
    [InlineData("""{ "leaveLadder": { "rungs": [ { "upToMinutes": 420, "approvers": [] } ] } }""", "leaveLadder.rungs[0].approvers: at least one approving role is required")]
    [InlineData("""{ "leaveLadder": { "rungs": [ { "upToMinutes": null, "approvers": ["Chairman"] } ] } }""", "leaveLadder.rungs[0].approvers")]
    [InlineData("""{ "schedule": { "afternoon": { "start": "13:00", "end": "16:30", "signIn": "13:00", "signOut": "16:30", "signInWindow": { "opensMinutesBefore": 120, "closesMinutesAfter": 30 }, "signOutWindow": { "opensMinutesBefore": 60, "closesMinutesAfter": 30 } } } }""", "schedule.afternoon.signInWindow: opens at 11:00 but the morning's windows stay open until 11:30")]
    [InlineData("""{ "utcOffsetMinutes": 5000 }""", "utcOffsetMinutes: must be between -720 and 840, got 5000")]
    [InlineData("""{ "version": "" }""", "version: must not be empty")]
    [InlineData("""[1,2]""", "(document)")]
    public void Nonsense_is_rejected_with_a_message_naming_the_field(string json, string expected)
    {
        var ok = RulesSettingsJson.TryParse(json, out var settings, out var errors);
        Assert.False(ok);
        Assert.Null(settings);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        var ex = Assert.Throws<RulesSettingsException>(() => RulesSettingsJson.Parse(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_in_a_document_is_reported_not_only_the_first()
    {
        var ok = RulesSettingsJson.TryParse("""{ "outingMaxMinutes": 0, "deductions": { "late": -1, "earlyLeave": 500 } }""", out _, out var errors);
        Assert.False(ok);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void A_staggered_schedule_is_just_another_schedule()
    {
        var staggered = RulesSettings.Default with
        {
            Schedule = RulesSettings.Default.Schedule with
            {
                Name = "错时",
                Morning = SessionSettings.DefaultMorning with { Start = new(9, 0), End = new(12, 0), SignIn = new(9, 0), SignOut = new(12, 0) },
                Afternoon = SessionSettings.DefaultAfternoon with { Start = new(14, 0), End = new(18, 0), SignIn = new(14, 0), SignOut = new(18, 0) },
            },
        };
        Assert.Empty(RulesSettingsValidator.Validate(staggered));
        var c = new Schedule.PunchClassifier(staggered).Classify(TestData.At(TestData.Monday, 9, 1), [], TestData.Cal);
        Assert.Equal(Schedule.PunchOutcome.Late, c.Outcome);
        Assert.Equal(1, c.Minutes);
    }

    [Fact]
    public void Roles_in_the_ladder_are_written_by_name()
    {
        var json = RulesSettingsJson.Serialize(RulesSettings.Default);
        Assert.Contains("\"CommunityBuildingSection\"", json, StringComparison.Ordinal);
        Assert.Equal([Role.Head], RulesSettings.Default.LeaveLadder.SecretaryOwnLeave!);
    }
}
