using Kiosk.Core.Events;
using Kiosk.Core.Leave;
using Kiosk.Core.Roster;
using Kiosk.Core.Settings;

namespace Kiosk.Core.Tests;

public sealed class LeaveLadderTests
{
    private static readonly LeaveLadder A = new(RulesSettings.Default.LeaveLadder);

    [Theory]
    [InlineData(60, Role.Secretary)]
    [InlineData(120, Role.Secretary)] // "at most 2 hours"
    [InlineData(121, Role.CommunityBuildingSection)]
    [InlineData(419, Role.CommunityBuildingSection)] // "less than one day"
    [InlineData(420, Role.LeaderInCharge)] // "one day or more"
    [InlineData(839, Role.LeaderInCharge)]
    [InlineData(840, Role.Head)] // "two days or more"
    [InlineData(5000, Role.Head)]
    public void Sub_district_A_ladder_picks_the_approver_by_length(int minutes, Role expected)
    {
        Assert.Equal([expected], A.ApproversFor(minutes, Role.Worker));
        Assert.Equal(expected, A.FinalApprover(minutes, Role.Worker));
    }

    [Fact]
    public void The_secretarys_own_leave_always_goes_to_the_head()
    {
        Assert.Equal([Role.Head], A.ApproversFor(30, Role.Secretary));
        Assert.Equal([Role.Head], A.ApproversFor(5000, Role.Secretary));
        Assert.Equal([Role.Secretary], A.ApproversFor(30, Role.DeputySecretary));
    }

    [Fact]
    public void Leave_in_half_days_and_outings_in_minutes_use_the_same_ladder()
    {
        var leave = TestData.LeaveOf(TestData.Monday, Session.Morning, 1); // half a day = 210 min
        Assert.Equal([Role.CommunityBuildingSection], A.ApproversFor(leave, Role.Worker));
        Assert.Equal([Role.LeaderInCharge], A.ApproversFor(leave with { HalfDays = 2 }, Role.Worker));
        Assert.Equal([Role.Head], A.ApproversFor(leave with { HalfDays = 4 }, Role.Worker));
        var outing = new Outing("W001", TestData.At(TestData.Monday, 9, 0), TimeSpan.FromHours(2), "SEC1", null, TestData.At(TestData.Monday, 9, 0));
        Assert.Equal([Role.Secretary], A.ApproversFor(outing, Role.Worker));
        Assert.True(A.MayApprove(Role.Secretary, 120, Role.Worker));
        Assert.False(A.MayApprove(Role.Secretary, 121, Role.Worker));
    }

    [Fact]
    public void A_second_sub_districts_ladder_is_expressed_in_settings_only()
    {
        // Policy: "up to 3 days the secretary; 3–7 days also the leader in charge; over 7 days also the head".
        var settings = RulesSettingsJson.Parse("""
            { "leaveLadder": { "name": "subdistrict-b", "workingMinutesPerDay": 420,
              "rungs": [ { "upToMinutes": 1260, "inclusive": true, "approvers": ["Secretary"] },
                         { "upToMinutes": 2940, "inclusive": true, "approvers": ["Secretary", "LeaderInCharge"] },
                         { "upToMinutes": null, "approvers": ["Secretary", "LeaderInCharge", "Head"] } ] } }
            """);
        var b = new LeaveLadder(settings.LeaveLadder);
        Assert.Equal("subdistrict-b", b.Name);
        Assert.Null(settings.LeaveLadder.SecretaryOwnLeave);
        Assert.Equal([Role.Secretary], b.ApproversFor(b.MinutesOf(6), Role.Worker)); // 3 days
        Assert.Equal([Role.Secretary, Role.LeaderInCharge], b.ApproversFor(b.MinutesOf(7), Role.Worker)); // 3.5 days
        Assert.Equal([Role.Secretary, Role.LeaderInCharge], b.ApproversFor(b.MinutesOf(14), Role.Worker)); // 7 days
        Assert.Equal([Role.Secretary, Role.LeaderInCharge, Role.Head], b.ApproversFor(b.MinutesOf(15), Role.Worker));
        Assert.Equal(Role.Head, b.FinalApprover(b.MinutesOf(20), Role.Secretary));
    }
}
