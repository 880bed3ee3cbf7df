namespace Kiosk.Core.Schedule;

/// <summary>Issue 2 §1, the minute rule: seconds are dropped. 08:00:59 is minute 08:00 (on time); 08:01:00 is
/// minute 08:01, one minute late with grace 0. Every comparison with a point or a window uses this minute.</summary>
public static class MinuteRule
{
    /// <summary>Minute of the day of a local time of day, seconds and fractions dropped.</summary>
    public static int MinuteOfDay(TimeOnly localTime) => (localTime.Hour * 60) + localTime.Minute;

    /// <summary>The office-local date and minute of an instant (architecture decision 5: never bucket by UTC date;
    /// the instant is converted to the office's offset first, whatever offset it was written with).</summary>
    public static (DateOnly Date, int Minute) Local(DateTimeOffset at, TimeSpan officeOffset)
    {
        var local = at.ToOffset(officeOffset).DateTime;
        return (DateOnly.FromDateTime(local), MinuteOfDay(TimeOnly.FromDateTime(local)));
    }
}
