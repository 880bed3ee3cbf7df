using Kiosk.Core.Events;
using Kiosk.Core.Schedule;
using Kiosk.Device.Devices;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Punching;

/// <summary>The punch path's log lines, source-generated: the level is checked before anything is boxed or an
/// argument array is built, so a kiosk logging at Warning pays nothing per punch for these, and one logging at
/// Information pays no per-call template parsing (bench/Kiosk.Device.Bench, docs/device.md "Benchmark").</summary>
internal static partial class PunchLog
{
    [LoggerMessage(Level = LogLevel.Information,
        Message = "Duplicate punch attempt by {Worker} at {At} (already counted at {First}), sequence {Sequence}")]
    public static partial void Duplicate(ILogger log, string worker, DateTimeOffset at, TimeOnly? first, long sequence);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Punch {Sequence}: {Worker} {Method} at {At} → {Outcome} {Minutes} min (clock {Clock})")]
    public static partial void Punched(ILogger log, long sequence, string worker, PunchMethod method, DateTimeOffset at, PunchOutcome outcome,
        int minutes, ClockQuality clock);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Worker {Worker} refused at the door (badge {Badge}, finger slot {Slot}): {Reason}; journalled as {Kind}, sequence {Sequence}")]
    public static partial void Refused(ILogger log, string worker, string? badge, int? slot, string reason, string kind, long sequence);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Card {Badge} is not on the roster of office {Office} (roster {Version}); journalled as sequence {Sequence}")]
    public static partial void UnknownCard(ILogger log, string badge, string office, string version, long sequence);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Finger not recognised (badge {Badge}, claimed worker {Worker}, module said {Status} score {Score}); sequence {Sequence}")]
    public static partial void FingerNotRecognised(ILogger log, string? badge, string? worker, FingerStatus status, int score, long sequence);
}
