using Kiosk.Device.Clock;
using Kiosk.Device.Configuration;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.ConsoleDisplay;
using Kiosk.Device.Hosting;
using Kiosk.Device.Punching;
using Kiosk.Device.Tests.Clock;
using Kiosk.Device.Tests.EndToEnd;
using Kiosk.Device.Tests.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Tests.Hosting;

/// <summary>The punch loop waits inside a fingerprint operation (a worker's finger after the card, an enrolment's three
/// captures): KioskContext.UseFingerAsync beats the watchdog heartbeat meanwhile, but only for the operation's own
/// finger waits plus a margin, so a slow finger never gets the kiosk restarted and a stuck driver still does.</summary>
public sealed class FingerWaitHeartbeatTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 8, 0, 0, KioskRig.Beijing);

    [Fact]
    public async Task A_finger_wait_keeps_the_heartbeat_only_as_long_as_its_waits_allow_and_frees_the_module_after()
    {
        using var temp = new TempJournal();
        var time = new ManualTime(Monday);
        var clock = new ClockGuard(time, new FakeClockSources { Synchronised = true },
            new ClockOptions(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), false, TimeSpan.FromHours(1)), NullLogger.Instance);
        var kiosk = new KioskContext(temp.Journal, clock, new OfficeConfigStore(temp.Journal, "office-1", time, NullLogger.Instance),
            new KioskDevices([], null, new PlainTextDisplay(TextWriter.Null), null, new RecordingSignal()), new InputHub(time, NullLogger.Instance),
            new KioskOptions { OfficeId = "office-1", DeviceId = "kiosk-1", FingerWaitSeconds = 20 }, time, NullLogger.Instance);
        var liveness = new Liveness(time);
        var finger = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);

        // Two finger waits of 20 s: beats for 2 × 20 s + 5 s, far past the unit's WatchdogSec=30s.
        var operation = kiosk.UseFingerAsync(2, liveness, wait => finger.Task, CancellationToken.None);
        for (var second = 1; second <= 44; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(liveness.IsAlive(TimeSpan.FromSeconds(2)), $"no heartbeat at {second} s");
        }

        // A driver stuck past its own waits: the heartbeat stops, so systemd would restart the kiosk.
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(liveness.IsAlive(TimeSpan.FromSeconds(2)));
        Assert.Equal(0, kiosk.Inputs.FingerGate.CurrentCount);

        finger.SetResult(TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromSeconds(20), await operation);
        Assert.Equal(1, kiosk.Inputs.FingerGate.CurrentCount);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(liveness.IsAlive(TimeSpan.FromSeconds(2)));
        await kiosk.Inputs.DisposeAsync();
    }
}
