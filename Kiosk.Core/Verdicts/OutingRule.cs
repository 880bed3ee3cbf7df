using Kiosk.Core.Events;
using Kiosk.Core.Schedule;

namespace Kiosk.Core.Verdicts;

/// <summary>Policy, "Leave": a temporary outing of at most 2 hours is approved by the community secretary.
/// An approved outing covers a point (sign-in or sign-out) whose minute lies in [start, start + duration).
/// Invalid outings cover nothing and are reported: approved by the worker themselves (decision 7), or longer
/// than RulesSettings.OutingMaxMinutes (that is leave, which has its own ladder).</summary>
public static class OutingRule
{
    public static OutingValidity Check(Outing outing, int maxMinutes)
    {
        ArgumentNullException.ThrowIfNull(outing);
        if (string.Equals(outing.ApprovedBy, outing.WorkerId, StringComparison.Ordinal))
        {
            return OutingValidity.SelfApproved;
        }

        return outing.Duration <= TimeSpan.FromMinutes(maxMinutes) && outing.Duration > TimeSpan.Zero
            ? OutingValidity.Valid
            : OutingValidity.TooLong;
    }

    /// <summary>Whether the outing covers the given point minute on the given office-local date.</summary>
    internal static bool Covers(Outing outing, DateOnly date, int pointMinute, TimeSpan officeOffset)
    {
        var (startDate, startMinute) = MinuteRule.Local(outing.Start, officeOffset);
        if (startDate != date)
        {
            return false;
        }

        var end = startMinute + (int)Math.Ceiling(outing.Duration.TotalMinutes);
        return pointMinute >= startMinute && pointMinute < end;
    }
}

public enum OutingValidity { Valid, SelfApproved, TooLong }
