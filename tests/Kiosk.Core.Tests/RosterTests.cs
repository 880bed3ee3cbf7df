using Kiosk.Core.Roster;

namespace Kiosk.Core.Tests;

public sealed class RosterTests
{
    private static readonly DateOnly Day = TestData.Monday;

    private static OfficeRoster Roster(params Delegation[] delegations) => new("OFF1", "r1",
    [
        TestData.Worker("SEC", Role.Secretary),
        TestData.Worker("DEP", Role.DeputySecretary),
        TestData.Worker("W1"),
        TestData.Worker("W2"),
        TestData.Worker("OLD", Role.Secretary, to: new DateOnly(2025, 12, 31)),
    ], delegations);

    [Fact]
    public void The_secretary_runs_sign_in_and_the_deputy_only_when_the_secretary_is_away()
    {
        var r = Roster();
        Assert.True(SignInAuthority.MayRunSignIn(r, "SEC", Day));
        Assert.False(SignInAuthority.MayRunSignIn(r, "DEP", Day));
        Assert.False(SignInAuthority.MayRunSignIn(r, "W1", Day));
        Assert.False(SignInAuthority.MayRunSignIn(r, "OLD", Day)); // left the office
        Assert.False(SignInAuthority.MayRunSignIn(r, "NOBODY", Day));

        var away = Roster(new Delegation("OFF1", DelegationKind.Away, "SEC", Day, Day.AddDays(4), null));
        Assert.False(SignInAuthority.MayRunSignIn(away, "SEC", Day));
        Assert.True(SignInAuthority.MayRunSignIn(away, "DEP", Day));
        Assert.False(SignInAuthority.MayRunSignIn(away, "DEP", Day.AddDays(5)));
    }

    [Fact]
    public void When_both_are_away_the_named_officer_runs_sign_in_on_the_named_dates_only()
    {
        var r = Roster(
            new Delegation("OFF1", DelegationKind.Away, "SEC", Day, Day.AddDays(2), null),
            new Delegation("OFF1", DelegationKind.Away, "DEP", Day, Day.AddDays(2), null),
            new Delegation("OFF1", DelegationKind.AttendanceOfficer, "W2", Day, Day.AddDays(1), "SEC"));
        Assert.Equal(["W2"], SignInAuthority.WhoMayRunSignIn(r, Day).Select(w => w.Id));
        Assert.Empty(SignInAuthority.WhoMayRunSignIn(r, Day.AddDays(2)));
        Assert.Equal(["SEC"], SignInAuthority.WhoMayRunSignIn(r, Day.AddDays(3)).Select(w => w.Id));
    }

    [Fact]
    public void Badges_find_their_worker_and_employment_dates_are_inclusive()
    {
        var w = TestData.Worker(from: Day, to: Day.AddDays(1));
        var r = new OfficeRoster("OFF1", "r1", [w], []);
        Assert.Same(w, r.FindByBadge("0001623026"));
        Assert.Null(r.FindByBadge("999"));
        Assert.False(w.IsEmployedOn(Day.AddDays(-1)));
        Assert.True(w.IsEmployedOn(Day));
        Assert.True(w.IsEmployedOn(Day.AddDays(1)));
        Assert.False(w.IsEmployedOn(Day.AddDays(2)));
    }
}
