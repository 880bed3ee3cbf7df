namespace Kiosk.Core.Roster;

/// <summary>Who may run sign-in on a date (enter secretary mode, mark reasons, approve outings).
/// Policy, "Who is involved": the secretary runs sign-in; when the secretary is away the deputy runs it;
/// when both are away the person the secretary named (考勤负责人) runs it. A named attendance officer runs it on
/// the named dates even if the secretary is present (the secretary chose so). Employment dates always apply.</summary>
public static class SignInAuthority
{
    public static bool MayRunSignIn(OfficeRoster roster, string workerId, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(roster);
        var who = roster.FindById(workerId);
        if (who is null || !who.IsEmployedOn(date))
        {
            return false;
        }

        switch (who.Role)
        {
            case Role.Secretary:
                return !IsAway(roster, who.Id, date);
            case Role.DeputySecretary:
                return !IsAway(roster, who.Id, date) && !AnySecretaryPresent(roster, date);
            default:
                return IsNamedOfficer(roster, who.Id, date);
        }
    }

    /// <summary>Everyone who may run sign-in on the date: <see cref="MayRunSignIn"/> applied to the whole roster. Neither the
    /// kiosk (it checks the one person who presents a card) nor the centre lists them yet; the tests use it to state
    /// the delegation rule over a roster.</summary>
    public static IReadOnlyList<Worker> WhoMayRunSignIn(OfficeRoster roster, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(roster);
        var result = new List<Worker>();
        foreach (var w in roster.Workers)
        {
            if (MayRunSignIn(roster, w.Id, date))
            {
                result.Add(w);
            }
        }

        return result;
    }

    private static bool AnySecretaryPresent(OfficeRoster roster, DateOnly date)
    {
        foreach (var w in roster.Workers)
        {
            if (w.Role == Role.Secretary && w.IsEmployedOn(date) && !IsAway(roster, w.Id, date))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAway(OfficeRoster roster, string workerId, DateOnly date)
    {
        foreach (var d in roster.Delegations)
        {
            if (d.Kind == DelegationKind.Away && d.Covers(date) && string.Equals(d.WorkerId, workerId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNamedOfficer(OfficeRoster roster, string workerId, DateOnly date)
    {
        foreach (var d in roster.Delegations)
        {
            if (d.Kind == DelegationKind.AttendanceOfficer && d.Covers(date)
                && string.Equals(d.WorkerId, workerId, StringComparison.Ordinal)
                && !IsAway(roster, workerId, date))
            {
                return true;
            }
        }

        return false;
    }
}
