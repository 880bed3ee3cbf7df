using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Hosting;

/// <summary>Tells systemd (Type=notify) when the kiosk is ready, pets the watchdog while the punch flow is
/// alive, and says STOPPING=1 on SIGTERM. The watchdog is petted only while <see cref="Liveness"/> is fresh:
/// a hung punch loop then gets the service restarted (Restart=always) instead of a dead door.</summary>
internal sealed class SystemdLifecycle : BackgroundService
{
    private readonly SystemdNotifier notifier;
    private readonly IHostApplicationLifetime lifetime;
    private readonly Liveness liveness;
    private readonly TimeProvider time;
    private readonly ILogger<SystemdLifecycle> log;

    public SystemdLifecycle(SystemdNotifier notifier, IHostApplicationLifetime lifetime, Liveness liveness, TimeProvider time,
        ILogger<SystemdLifecycle> log)
    {
        this.notifier = notifier;
        this.lifetime = lifetime;
        this.liveness = liveness;
        this.time = time;
        this.log = log;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lifetime.ApplicationStopping.Register(() => notifier.Notify("STOPPING=1"));
        await liveness.Ready.WaitAsync(stoppingToken);
        if (notifier.Notify("READY=1\nSTATUS=签到中 · taking punches"))
        {
            log.LogInformation("Told systemd READY=1");
        }

        var interval = SystemdNotifier.WatchdogInterval();
        if (interval is null)
        {
            return;
        }

        var period = interval.Value / 2;
        log.LogInformation("systemd watchdog every {Period}", period);
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(period, time, stoppingToken);
            if (liveness.IsAlive(interval.Value))
            {
                notifier.Notify("WATCHDOG=1");
            }
            else
            {
                log.LogError("Punch loop silent for more than {Interval}; not petting the watchdog so systemd restarts the kiosk", interval.Value);
            }
        }
    }
}

/// <summary>Heartbeat of the punch flow for the watchdog, and the "ready" signal (journal verified, devices up).</summary>
internal sealed class Liveness
{
    private readonly TimeProvider time;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long lastBeat;

    public Liveness(TimeProvider time)
    {
        this.time = time;
        lastBeat = time.GetTimestamp();
    }

    public Task Ready => ready.Task;

    public void MarkReady() => ready.TrySetResult();

    public void Beat() => Interlocked.Exchange(ref lastBeat, time.GetTimestamp());

    public bool IsAlive(TimeSpan within) => time.GetElapsedTime(Interlocked.Read(ref lastBeat)) < within;
}
