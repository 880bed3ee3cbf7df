using Kiosk.Core.Events;

namespace Kiosk.Core.Schedule;

/// <summary>Issue 2 §1: "the first punch in a window counts; later punches in the same window are kept as
/// duplicates and change nothing". One day's punches, in time order, are placed on the points: the door
/// feedback (PunchClassifier) and the verdicts (VerdictEngine) share this so they can never disagree.
/// Where a session's sign-in and sign-out windows overlap, a punch goes to the sign-in while it is free, then to
/// the sign-out (if the office measures sign-outs) when it is strictly later than the counted sign-in's minute.</summary>
internal static class PunchPlacement
{
    /// <summary>Places the punch at <paramref name="minute"/>, given the punches already counted today
    /// (<paramref name="counted"/>[point] = index of the counted punch or -1; <paramref name="countedMinute"/> its
    /// minute). Returns the point it counts for (and records it), or the point it duplicates, or
    /// <see cref="Placement.Outside"/> when no active window holds the minute.</summary>
    public static Placement Place(OfficeSchedule s, int minute, int index, Span<int> counted, Span<int> countedMinute)
    {
        for (var session = 0; session < 2; session++)
        {
            var signIn = (int)OfficeSchedule.SignInOf((Session)session);
            var signOut = signIn + 1;
            var inIn = s.InWindow((PunchPoint)signIn, minute);
            var inOut = s.InWindow((PunchPoint)signOut, minute);
            if (!inIn && !inOut)
            {
                continue;
            }

            if (inIn && counted[signIn] < 0)
            {
                counted[signIn] = index;
                countedMinute[signIn] = minute;
                return new Placement(signIn, Counted: true);
            }

            if (inOut && counted[signOut] < 0 && (counted[signIn] < 0 || countedMinute[signIn] < minute))
            {
                counted[signOut] = index;
                countedMinute[signOut] = minute;
                return new Placement(signOut, Counted: true);
            }

            // A duplicate: of the sign-out if that window holds it and is taken, else of the sign-in.
            var of = inOut && counted[signOut] >= 0 ? signOut : (counted[signIn] >= 0 ? signIn : signOut);
            return new Placement(of, Counted: false);
        }

        return Placement.Outside;
    }
}

/// <summary>Point = -1: outside every active window. Counted = false: a duplicate of the punch counted for Point.</summary>
internal readonly record struct Placement(int Point, bool Counted)
{
    public static Placement Outside => new(-1, false);
}
