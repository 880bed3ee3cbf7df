using Kiosk.Core.Events;
using Kiosk.Device.Clock;
using Kiosk.Device.Configuration;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Device;

namespace Kiosk.Device.Hosting;

/// <summary>What the sync helper's outbox pump needs from the kiosk: apply configuration (atomically, see
/// OfficeConfigStore), take the centre's time (clock guard), and device facts for the status message.</summary>
internal sealed class KioskSyncAdapters(OfficeConfigStore config, ClockGuard clock, string dataDirectory) : IConfigSink, ITimeSink, IDeviceFacts
{
    public string? RunningVersion => config.Current.Version == "none" ? null : config.Current.Version;

    public ClockQuality Clock => clock.CurrentQuality;

    public long? FreeDiskBytes
    {
        get
        {
            try
            {
                return new DriveInfo(Path.GetFullPath(dataDirectory)).AvailableFreeSpace;
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    public async Task ApplyAsync(OfficeConfig message, CancellationToken ct)
    {
        var errors = await config.ApplyAsync(message, ct);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Office configuration " + message.Version + " refused: " + string.Join("; ", errors));
        }
    }

    /// <summary>Decision 6: only a centre that is itself synchronised makes our clock trusted.</summary>
    public async Task OnCentreTimeAsync(TimeMessage message, long receivedAtMonotonic, CancellationToken ct)
    {
        if (!message.CentreSynchronised)
        {
            return;
        }

        clock.OnCentreTime(message.CentreTime);
        await clock.RefreshAsync(ct);
    }
}
