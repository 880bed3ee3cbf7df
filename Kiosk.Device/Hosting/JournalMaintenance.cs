using Kiosk.Device.Clock;
using Kiosk.Device.Journal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Hosting;

/// <summary>Once an hour: prune acknowledged rows past the retention (decision 2), only with a trusted clock
/// (an untrusted "today" could be years off and prune too much).</summary>
internal sealed class JournalMaintenance(EventJournal journal, ClockGuard clock, TimeProvider time, ILogger<JournalMaintenance> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromHours(1), time, stoppingToken);
            var stamp = clock.Stamp();
            if (!stamp.Trusted)
            {
                continue;
            }

            try
            {
                await journal.PruneAsync(DateOnly.FromDateTime(stamp.Local.DateTime), stoppingToken);
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
            {
                // Never let pruning end this service (an unhandled exception would stop the whole kiosk).
                log.LogError(ex, "Pruning the journal failed; it will be tried again in an hour");
            }
        }
    }
}
