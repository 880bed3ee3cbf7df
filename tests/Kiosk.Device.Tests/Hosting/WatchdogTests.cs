using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Kiosk.Core.Roster;
using Kiosk.Device.Clock;
using Kiosk.Device.Configuration;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.ConsoleDisplay;
using Kiosk.Device.Hosting;
using Kiosk.Device.Punching;
using Kiosk.Device.Secretary;
using Kiosk.Device.Tests.CardReaders;
using Kiosk.Device.Tests.Clock;
using Kiosk.Device.Tests.EndToEnd;
using Kiosk.Device.Tests.Journal;
using Kiosk.Sync.Contract;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Tests.Hosting;

/// <summary>systemd watchdog petting (issue 4, "Running it"; deploy-rpi/systemd/kiosk.service.in WatchdogSec=30s):
/// WATCHDOG=1 on $NOTIFY_SOCKET every half interval while the punch loop beats, nothing once it hangs. In process,
/// the real PunchFlow and SystemdLifecycle run on a stepped clock and send to a real unix datagram socket.
/// The tests set WATCHDOG_USEC/WATCHDOG_PID in this process (that is how systemd hands them over); the class runs
/// alone in its collection so nothing else reads them meanwhile, and child processes of other tests see a
/// WATCHDOG_PID that is not theirs and ignore it.</summary>
[Collection("kiosk watchdog")]
public sealed class WatchdogTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 8, 30, 0, KioskRig.Beijing);
    private static readonly string Self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task While_the_punch_loop_beats_the_watchdog_is_petted_every_half_interval_and_not_once_it_hangs()
    {
        await using var door = await Door.StartAsync(watchdogUsec: "4000000", watchdogPid: Self);

        await door.StepSecondsAsync(12, loops: 2);
        Assert.Equal(Enumerable.Repeat("WATCHDOG=1", 6), door.Drain()); // 4 s interval → every 2 s: at 2, 4 … 12 s

        // The display's I2C write never returns (a wedged bus): the punch loop is stuck inside the card's result.
        door.Display.Jam();
        door.Kiosk.Inputs.Post(new CardInput(new CardPresented("0000000042", "test", TimeSpan.Zero)));
        await door.Display.Stuck.WaitAsync(TimeSpan.FromSeconds(10));
        await door.StepSecondsAsync(20, loops: 1);

        // Last beat at 12 s: the check at 14 s still sees it 2 s old; from 16 s on it is ≥ 4 s old and nothing is sent,
        // so systemd's WatchdogSec runs out and it restarts the kiosk.
        Assert.Equal(["WATCHDOG=1"], door.Drain());
        Assert.Contains(door.Log.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("Punch loop silent", StringComparison.Ordinal));
        Assert.Equal("unknown_card", Assert.Single(door.Temp.Journal.ReadAfter(0, 10)).Kind);

        // When the write comes back the loop beats again, and petting resumes.
        door.Display.Free();
        await SteppedTime.WaitUntilAsync(() => door.Time.Pending == 2, "the punch loop waits for input again");
        await door.StepSecondsAsync(4, loops: 2);
        Assert.Equal(Enumerable.Repeat("WATCHDOG=1", 2), door.Drain());
    }

    [Fact]
    public async Task A_secretary_on_a_menu_for_most_of_a_minute_does_not_get_the_kiosk_restarted_by_the_watchdog()
    {
        // The unit's WatchdogSec=30s and the default SecretaryTimeoutSeconds of 60: secretary mode runs inside the
        // punch loop, so it must keep the loop's heartbeat while it waits for keys.
        await using var door = await Door.StartAsync(watchdogUsec: "30000000", watchdogPid: Self);
        Assert.Equal(60, door.Kiosk.Options.SecretaryTimeoutSeconds);
        var seen = door.Display.Inner.History.Count;
        door.Kiosk.Inputs.Post(new KeyInput(new KeyPress(KeyKind.Menu)));
        await SteppedTime.WaitUntilAsync(() => door.Display.Inner.History.Skip(seen).Any(s => s.Lines.Contains("请刷书记胸卡")), "the badge prompt");
        await SteppedTime.WaitUntilAsync(() => door.Time.Pending == 2, "secretary mode waits for a key");

        await door.StepSecondsAsync(59, loops: 2);
        Assert.Equal(Enumerable.Repeat("WATCHDOG=1", 3), door.Drain()); // checks at 15, 30 and 45 s all pet
        Assert.DoesNotContain(door.Log.Entries, e => e.Level >= LogLevel.Error);
        Assert.Contains("请刷书记胸卡", door.Display.Inner.History[^1].Lines);

        // …and the mode still leaves by its own timeout, at 60 s without a key.
        await door.StepSecondsAsync(2, loops: 2);
        Assert.True(KioskRig.IsIdle(door.Display.Inner.History[^1]), PlainTextDisplay.Format(door.Display.Inner.History[^1]));
    }

    [Fact]
    public async Task A_watchdog_meant_for_another_process_is_never_petted()
    {
        // sd_watchdog_enabled(3): WATCHDOG_PID names the process the watchdog is for; a child started by the service
        // inherits the variables and must not pet the parent's watchdog.
        await using var door = await Door.StartAsync(watchdogUsec: "4000000", watchdogPid: "1");
        await door.StepSecondsAsync(10, loops: 1);
        Assert.Empty(door.Drain());
    }

    [Fact]
    public async Task The_kiosk_program_with_WATCHDOG_USEC_sends_WATCHDOG_datagrams_after_READY()
    {
        var dir = Directory.CreateTempSubdirectory("kiosk-watchdog-");
        var name = "kiosk-wd-" + Guid.NewGuid().ToString("N");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
        try
        {
            var info = KioskProcess.Info("run", "--simulate", "--config", KioskProcess.WriteConfig(dir.FullName));
            info.Environment["NOTIFY_SOCKET"] = "@" + name;
            info.Environment["WATCHDOG_USEC"] = "1000000";
            info.Environment.Remove("WATCHDOG_PID");
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            try
            {
                Assert.StartsWith("READY=1", await ReceiveAsync(socket), StringComparison.Ordinal);
                // Three pets (0.5 s apart); ReceiveAsync's own timeout fails the test if they stop coming.
                for (var i = 0; i < 3; i++)
                {
                    Assert.Equal("WATCHDOG=1", await ReceiveAsync(socket));
                }
            }
            finally
            {
                using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await term.WaitForExitAsync();
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await process.WaitForExitAsync(timeout.Token);
            }

            Assert.True(process.ExitCode == 0, await stderr);
            Assert.Contains("systemd watchdog every 00:00:00.5", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    /// <summary>The door in process, wired like KioskHost: punch flow, secretary mode and SystemdLifecycle sharing
    /// one Liveness, on a stepped clock; $NOTIFY_SOCKET is a real datagram socket bound by the test.</summary>
    private sealed class Door : IAsyncDisposable
    {
        private readonly Socket socket;
        private readonly SystemdNotifier notifier;
        private readonly TestLifetime lifetime = new();
        private readonly CancellationTokenSource stop = new();
        private readonly (string Name, string? Value)[] savedEnvironment;
        private PunchFlow? flow;
        private SystemdLifecycle? lifecycle;

        private Door(TempJournal temp, SteppedTime time, JammableDisplay display, Socket socket, SystemdNotifier notifier, (string, string?)[] saved)
        {
            Temp = temp;
            Time = time;
            Display = display;
            this.socket = socket;
            this.notifier = notifier;
            savedEnvironment = saved;
        }

        public TempJournal Temp { get; }

        public SteppedTime Time { get; }

        public JammableDisplay Display { get; }

        public ListLogger Log { get; } = new();

        public KioskContext Kiosk { get; private set; } = null!;

        public static async Task<Door> StartAsync(string watchdogUsec, string watchdogPid)
        {
            string[] names = ["WATCHDOG_USEC", "WATCHDOG_PID"];
            var saved = names.Select(n => (n, Environment.GetEnvironmentVariable(n))).ToArray();
            Environment.SetEnvironmentVariable("WATCHDOG_USEC", watchdogUsec);
            Environment.SetEnvironmentVariable("WATCHDOG_PID", watchdogPid);
            var name = "kiosk-wd-" + Guid.NewGuid().ToString("N");
            var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
            var door = new Door(new TempJournal(), new SteppedTime(Monday), new JammableDisplay(), socket, new SystemdNotifier("@" + name), saved);
            await door.StartAsync();
            return door;
        }

        private async Task StartAsync()
        {
            var clock = new ClockGuard(Time, new FakeClockSources { Synchronised = true },
                new ClockOptions(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), false, TimeSpan.FromHours(24)), NullLogger.Instance);
            clock.Attach(Temp.Journal);
            var config = new OfficeConfigStore(Temp.Journal, "office-1", Time, NullLogger.Instance);
            var roster = new OfficeRoster("office-1", "r1", [KioskRig.W("1001", "张三", "0001623026", 1)], []);
            Assert.Empty(await config.ApplyAsync(new OfficeConfig(1, "office-1", "cfg-1", Monday,
                JsonSerializer.SerializeToElement(roster, new JsonSerializerOptions(JsonSerializerDefaults.Web)), null, null, null), CancellationToken.None));
            var devices = new KioskDevices([], null, Display, null, new RecordingSignal());
            Kiosk = new KioskContext(Temp.Journal, clock, config, devices, new InputHub(Time, NullLogger.Instance),
                new KioskOptions { OfficeId = "office-1", DeviceId = "kiosk-1" }, Time, NullLogger.Instance);
            var liveness = new Liveness(Time);
            flow = new PunchFlow(Kiosk, new SecretaryMode(Kiosk, liveness), liveness);
            lifecycle = new SystemdLifecycle(notifier, lifetime, liveness, Time, new TypedLogger<SystemdLifecycle>(Log));
            await flow.StartAsync(stop.Token);
            await lifecycle.StartAsync(stop.Token);
            var ready = new byte[512];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var n = await socket.ReceiveAsync(ready, SocketFlags.None, timeout.Token);
            Assert.StartsWith("READY=1", Encoding.UTF8.GetString(ready, 0, n), StringComparison.Ordinal);
            await SteppedTime.WaitUntilAsync(() => Time.Pending >= 1 && Log.Entries.Any(e => e.Message.Contains("Told systemd", StringComparison.Ordinal)),
                "the punch loop and the lifecycle are running");
        }

        /// <summary>Steps the clock one second at a time; after each step waits until the <paramref name="loops"/>
        /// background loops have armed their next timer again (their work for that second is done).</summary>
        public async Task StepSecondsAsync(int seconds, int loops)
        {
            await SteppedTime.WaitUntilAsync(() => Time.Pending == loops, $"{loops} loops waiting before the step");
            for (var i = 0; i < seconds; i++)
            {
                Time.Advance(TimeSpan.FromSeconds(1));
                await SteppedTime.WaitUntilAsync(() => Time.Pending == loops, $"{loops} loops waiting again at {Time.Elapsed}");
            }
        }

        /// <summary>Every datagram received so far (sent synchronously before the sender re-armed its timer).</summary>
        public IReadOnlyList<string> Drain()
        {
            var got = new List<string>();
            var buffer = new byte[512];
            while (socket.Poll(0, SelectMode.SelectRead))
            {
                var n = socket.Receive(buffer);
                got.Add(Encoding.UTF8.GetString(buffer, 0, n));
            }

            return got;
        }

        public async ValueTask DisposeAsync()
        {
            Display.Free();
            if (lifecycle is not null)
            {
                await lifecycle.StopAsync(CancellationToken.None);
                lifecycle.Dispose();
            }

            if (flow is not null)
            {
                await flow.StopAsync(CancellationToken.None);
                flow.Dispose();
            }

            await stop.CancelAsync();
            await Kiosk.Inputs.DisposeAsync();
            foreach (var (name, value) in savedEnvironment)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            notifier.Dispose();
            socket.Dispose();
            lifetime.Dispose();
            stop.Dispose();
            Temp.Dispose();
        }
    }
}

/// <summary>The OLED as the punch flow sees it, except that a write can be made to hang (a wedged I2C bus: the
/// kernel's i2c-dev write never returns). Screens are recorded as the plain-text display does.</summary>
internal sealed class JammableDisplay : IDisplay
{
    private readonly Lock gate = new();
    private TaskCompletionSource? jam;

    public PlainTextDisplay Inner { get; } = new(TextWriter.Null, keepHistory: true);

    /// <summary>Completes when a write got stuck.</summary>
    public TaskCompletionSource StuckSignal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Stuck => StuckSignal.Task;

    public void Jam()
    {
        lock (gate)
        {
            jam = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Free()
    {
        lock (gate)
        {
            jam?.TrySetResult();
            jam = null;
        }
    }

    public async Task ShowAsync(Screen screen, CancellationToken cancellationToken)
    {
        await Inner.ShowAsync(screen, cancellationToken);
        Task? wait;
        lock (gate)
        {
            wait = jam?.Task;
        }

        if (wait is not null)
        {
            StuckSignal.TrySetResult();
            await wait;
        }
    }
}

/// <summary>IHostApplicationLifetime for a BackgroundService run without a host.</summary>
internal sealed class TestLifetime : IHostApplicationLifetime, IDisposable
{
    private readonly CancellationTokenSource started = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource stopped = new();

    public CancellationToken ApplicationStarted => started.Token;

    public CancellationToken ApplicationStopping => stopping.Token;

    public CancellationToken ApplicationStopped => stopped.Token;

    public void StopApplication() => stopping.Cancel();

    public void Dispose()
    {
        started.Dispose();
        stopping.Dispose();
        stopped.Dispose();
    }
}

[CollectionDefinition("kiosk watchdog", DisableParallelization = true)]
public sealed class KioskWatchdogCollection;
