using Kiosk.Core.Events;
using Kiosk.Sync.Contract;

namespace Kiosk.Sync.Device;

/// <summary>Receives the office configuration from the centre (retained, versioned). Applying it atomically — all
/// sections or none, surviving a power cut — is the device's job; the pump only reports <see cref="RunningVersion"/>
/// in its status (issue 5, "Device side").</summary>
public interface IConfigSink
{
    /// <summary>The configuration version the device runs now; null before the first one.</summary>
    string? RunningVersion { get; }

    /// <summary>Apply a configuration whose Version differs from <see cref="RunningVersion"/>. Throw to refuse it
    /// (it is logged; the device keeps the version it runs).</summary>
    Task ApplyAsync(OfficeConfig config, CancellationToken ct);
}

/// <summary>Receives the centre's time for the clock guard (architecture decision 6).</summary>
public interface ITimeSink
{
    /// <param name="message">The centre's time message.</param>
    /// <param name="receivedAtMonotonic">Monotonic milliseconds when it arrived (Environment.TickCount64 style),
    /// so the guard can tell how old it is whatever the wall clock says.</param>
    /// <param name="ct">Cancellation.</param>
    Task OnCentreTimeAsync(TimeMessage message, long receivedAtMonotonic, CancellationToken ct);
}

/// <summary>Device facts the status message reports besides the journal counters.</summary>
public interface IDeviceFacts
{
    ClockQuality Clock { get; }

    /// <summary>Free bytes on the journal's file system, null when unknown.</summary>
    long? FreeDiskBytes { get; }
}
