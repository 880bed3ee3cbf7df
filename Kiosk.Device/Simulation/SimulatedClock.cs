using System.Globalization;

namespace Kiosk.Device.Simulation;

/// <summary>The simulator's wall clock: real time shifted by an offset, so a scripted morning can start at 07:55
/// on a chosen workday and jump forward to 08:05 (`at 08:05`). Timers and the monotonic timestamp stay real: only
/// the wall clock moves, exactly as it would when NTP steps a Pi's clock. It never moves backwards, because the
/// journal must never see time run back (architecture decision 6).</summary>
internal sealed class SimulatedClock : TimeProvider
{
    private readonly TimeZoneInfo zone;
    private readonly Lock gate = new();
    private TimeSpan offset;

    public SimulatedClock(DateTimeOffset start, TimeZoneInfo zone)
    {
        this.zone = zone;
        offset = start.ToUniversalTime() - System.GetUtcNow();
    }

    public override TimeZoneInfo LocalTimeZone => zone;

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return System.GetUtcNow() + offset;
        }
    }

    /// <summary>Moves the clock forward to the given office-local time of the current simulated day
    /// ("08:05"), or to a full local date-time ("2026-03-02T13:01"). Returns the new local time.</summary>
    public DateTimeOffset MoveTo(string when)
    {
        lock (gate)
        {
            var now = TimeZoneInfo.ConvertTime(System.GetUtcNow() + offset, zone);
            DateTime target;
            // Exact formats: TimeOnly.TryParse would take "2026-03-03T13:01" as 13:01 and drop the date.
            if (TimeOnly.TryParseExact(when, ["H:mm", "H:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                target = now.Date + time.ToTimeSpan();
            }
            else if (DateTime.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dateTime))
            {
                target = dateTime;
            }
            else
            {
                throw new FormatException($"'{when}' is neither HH:mm[:ss] nor yyyy-MM-ddTHH:mm[:ss]");
            }

            var local = new DateTimeOffset(target, zone.GetUtcOffset(target));
            if (local < now)
            {
                throw new ArgumentException($"the simulated clock only moves forward: it is already {now:yyyy-MM-dd HH:mm:ss}");
            }

            offset += local - now;
            return local;
        }
    }
}
