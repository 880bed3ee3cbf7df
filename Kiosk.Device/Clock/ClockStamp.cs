using Kiosk.Core.Events;

namespace Kiosk.Device.Clock;

/// <summary>When an event was taken, as far as the device can tell (architecture decision 6): office local
/// time with its offset, how much that time can be trusted, and the boot id + monotonic milliseconds that
/// let the centre (or a later ClockCorrection) fix the time of rows taken while the clock was untrusted.</summary>
internal sealed record ClockStamp(DateTimeOffset Local, ClockQuality Quality, string BootId, long MonotonicMs)
{
    public bool Trusted => Quality != ClockQuality.Untrusted;
}
