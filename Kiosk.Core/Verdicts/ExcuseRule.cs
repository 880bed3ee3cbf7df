using Kiosk.Core.Events;

namespace Kiosk.Core.Verdicts;

/// <summary>Policy, "Working time and sign-in": when work truly prevents a sign-in, the attendance officer marks
/// the reason (由考勤负责人标明原因). Architecture decision 7: nobody can excuse their own absence, so an excuse
/// whose MarkedBy is the worker is invalid: ignored, and reported on the verdict (VerdictNotes.SelfExcuseIgnored).
/// Of several valid excuses for one session the one taken last counts (a correction is a new event).
/// Whether the marker was entitled to mark (secretary, deputy, named officer) is checked where the excuse is
/// entered (SignInAuthority on the device and at the centre), not here.</summary>
public static class ExcuseRule
{
    public static bool IsSelfExcuse(Excuse excuse)
    {
        ArgumentNullException.ThrowIfNull(excuse);
        return string.Equals(excuse.MarkedBy, excuse.WorkerId, StringComparison.Ordinal);
    }

    internal static int Key(DateOnly date, Session session) => (date.DayNumber * 2) + (int)session;

    internal static void Index(IReadOnlyList<Excuse> excuses, out Dictionary<int, Excuse>? valid, out HashSet<int>? selfExcused)
    {
        valid = null;
        selfExcused = null;
        foreach (var e in excuses)
        {
            var key = Key(e.Date, e.Session);
            if (IsSelfExcuse(e))
            {
                (selfExcused ??= []).Add(key);
                continue;
            }

            valid ??= [];
            if (!valid.TryGetValue(key, out var existing) || e.At >= existing.At)
            {
                valid[key] = e;
            }
        }
    }
}
