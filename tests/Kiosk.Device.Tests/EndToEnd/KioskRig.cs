using System.Text.Json;
using Kiosk.Core.Roster;
using Kiosk.Device.Clock;
using Kiosk.Device.Configuration;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.ConsoleDisplay;
using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Devices.Rdm6300;
using Kiosk.Device.Emulators;
using Kiosk.Device.Hosting;
using Kiosk.Device.Journal;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Punching;
using Kiosk.Device.Secretary;
using Kiosk.Device.Tests.Clock;
using Kiosk.Device.Tests.Journal;
using Kiosk.Device.Tests.TestSupport;
using Kiosk.Sync.Contract;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Tests.EndToEnd;

/// <summary>The whole kiosk in process: the RDM6300 and R30x drivers on socat pty pairs with the emulators on
/// the far ends, a real journal file, the punch flow and secretary mode. The wall clock is the system clock
/// shifted to the scenario's morning (drivers keep real time for their serial timeouts).</summary>
internal sealed class KioskRig : IAsyncDisposable
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private readonly CancellationTokenSource stop = new();

    private KioskRig(TempJournal temp, SocatPty cardPty, SocatPty fingerPty, Rdm6300Emulator card, R30xEmulator finger, PlainTextDisplay display,
        RecordingSignal signal, KioskContext kiosk, PunchFlow flow, ShiftedTime time, FakeClockSources sources)
    {
        Temp = temp;
        CardPty = cardPty;
        FingerPty = fingerPty;
        Card = card;
        Finger = finger;
        Display = display;
        Signal = signal;
        Kiosk = kiosk;
        Flow = flow;
        Time = time;
        Sources = sources;
    }

    public TempJournal Temp { get; }

    public SocatPty CardPty { get; }

    public SocatPty FingerPty { get; }

    public Rdm6300Emulator Card { get; }

    public R30xEmulator Finger { get; }

    public PlainTextDisplay Display { get; }

    public RecordingSignal Signal { get; }

    public KioskContext Kiosk { get; }

    public PunchFlow Flow { get; }

    public ShiftedTime Time { get; }

    public FakeClockSources Sources { get; }

    public static Worker W(string id, string name, string badge, int slot, Role role = Role.Worker) =>
        new(id, name, [badge], "office-1", role, new DateOnly(2020, 1, 1), null, [slot]);

    public static async Task<KioskRig> StartAsync(IReadOnlyList<Worker> workers, DateTimeOffset startAt, KioskOptions? options = null,
        IReadOnlyList<Delegation>? delegations = null, ILogger? log = null)
    {
        options ??= new KioskOptions { OfficeId = "office-1", DeviceId = "kiosk-1", FingerWaitSeconds = 6, SecretaryTimeoutSeconds = 20 };
        var time = new ShiftedTime(startAt);
        var temp = new TempJournal();
        var sources = new FakeClockSources { Synchronised = true };
        var clock = new ClockGuard(time, sources, new ClockOptions(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), false, TimeSpan.FromHours(24)), NullLogger.Instance);
        clock.Attach(temp.Journal);
        var config = new OfficeConfigStore(temp.Journal, "office-1", time, NullLogger.Instance);
        var roster = new OfficeRoster("office-1", "r1", workers, delegations ?? []);
        var errors = await config.ApplyAsync(new OfficeConfig(1, "office-1", "cfg-1", startAt,
            JsonSerializer.SerializeToElement(roster, new JsonSerializerOptions(JsonSerializerDefaults.Web)), null, null, null), CancellationToken.None);
        Assert.Empty(errors);

        var cardPty = await SocatPty.StartAsync();
        var fingerPty = await SocatPty.StartAsync();
        var card = new Rdm6300Emulator(LinuxSerialPort.Open(cardPty.DevicePath, Rdm6300Options.BaudRate), TimeProvider.System);
        var finger = new R30xEmulator(LinuxSerialPort.Open(fingerPty.DevicePath, 57600));
        foreach (var w in workers)
        {
            foreach (var slot in w.FingerSlots)
            {
                finger.Enrol(slot, "finger-" + w.Id);
            }
        }

        finger.Start();
        var reader = new Rdm6300Reader(LinuxSerialPort.Open(cardPty.HostPath, Rdm6300Options.BaudRate), new Rdm6300Options(CardIdFormat.Decimal10), TimeProvider.System);
        var fingerReader = new FingerprintReader(LinuxSerialPort.Open(fingerPty.HostPath, 57600),
            new R30xOptions { ReplyTimeout = TimeSpan.FromSeconds(2), FingerPollInterval = TimeSpan.FromMilliseconds(20) }, TimeProvider.System);
        Assert.True(await KioskHost.WarmUpAsync(fingerReader, NullLogger.Instance, CancellationToken.None), "the R30x emulator never answered");
        var display = new PlainTextDisplay(TextWriter.Null, keepHistory: true);
        var signal = new RecordingSignal();
        var devices = new KioskDevices([reader], fingerReader, display, null, signal);
        var inputs = new InputHub(time, NullLogger.Instance);
        var kiosk = new KioskContext(temp.Journal, clock, config, devices, inputs, options, time, log ?? NullLogger.Instance);
        var flow = new PunchFlow(kiosk, new SecretaryMode(kiosk), new Liveness(time));
        var rig = new KioskRig(temp, cardPty, fingerPty, card, finger, display, signal, kiosk, flow, time, sources);
        await flow.StartAsync(rig.stop.Token);
        await rig.WaitForScreenAsync(s => s.Lines.Count == 4 && s.Lines[0].StartsWith(startAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        return rig;
    }

    /// <summary>A worker holds the card to the reader with a finger already on the sensor (slot null = no finger,
    /// "?" style unknown finger when <paramref name="unknownFinger"/>).</summary>
    public async Task<Screen> TapAsync(string badge, int? slot, bool unknownFinger = false, Func<Screen, bool>? until = null)
    {
        if (unknownFinger)
        {
            Finger.PutUnknownFinger();
        }
        else if (slot is { } s)
        {
            Finger.PutFingerOfSlot(s);
        }

        var seen = Display.History.Count;
        var tag = "00" + uint.Parse(badge, System.Globalization.CultureInfo.InvariantCulture).ToString("X8", System.Globalization.CultureInfo.InvariantCulture);
        await Card.PresentAsync(tag, CancellationToken.None);
        var screen = await WaitForScreenAsync(until ?? (s => s.Lines.Count > 0 && s.Lines[^1] != PunchFlow.PlaceFingerText && !IsIdle(s)), seen);
        Finger.LiftFinger();
        // The reader reports a card again only after it left the field (RDM6300 de-duplication).
        await Task.Delay(600);
        return screen;
    }

    public void Press(params KeyPress[] keys)
    {
        foreach (var key in keys)
        {
            Kiosk.Inputs.Post(new KeyInput(key));
        }
    }

    public static bool IsIdle(Screen s) => s.Lines.Count == 4 && s.Lines[0].Length >= 10 && s.Lines[0][4] == '-' && s.Lines[0][7] == '-';

    public async Task<Screen> WaitForScreenAsync(Func<Screen, bool> predicate, int fromIndex = 0)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var history = Display.History;
            for (var i = fromIndex; i < history.Count; i++)
            {
                if (predicate(history[i]))
                {
                    return history[i];
                }
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("Screen not shown. History:\n" + string.Join("\n", history.Skip(fromIndex).Select(PlainTextDisplay.Format)));
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Flow.StopAsync(CancellationToken.None);
        await stop.CancelAsync();
        await Kiosk.Inputs.DisposeAsync();
        await Kiosk.Devices.DisposeAsync();
        await Finger.DisposeAsync();
        Card.Dispose();
        await CardPty.DisposeAsync();
        await FingerPty.DisposeAsync();
        Flow.Dispose();
        Temp.Dispose();
        stop.Dispose();
    }
}

/// <summary>The system clock shifted to the scenario's date; timestamps and timers stay real.</summary>
internal sealed class ShiftedTime(DateTimeOffset start) : TimeProvider
{
    private TimeSpan offset = start - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;

    public void JumpTo(DateTimeOffset at) => offset = at - System.GetUtcNow();
}

/// <summary>Buzzer/LED fake that records the patterns asked for (GPIO fakes are allowed: common brief).</summary>
internal sealed class RecordingSignal : ISignal
{
    private readonly List<string> seen = [];

    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (seen)
            {
                return seen.ToArray();
            }
        }
    }

    public void Success() => Add("success");

    public void Refusal() => Add("refusal");

    public void Attention() => Add("attention");

    private void Add(string what)
    {
        lock (seen)
        {
            seen.Add(what);
        }
    }
}

/// <summary>Rig tests run one at a time: each starts two socat pairs, two emulators and a punch flow, and on this
/// 2-core machine parallel rigs only add timing noise.</summary>
[CollectionDefinition("kiosk rig", DisableParallelization = true)]
public sealed class KioskRigCollection;
