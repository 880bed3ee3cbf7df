using System.Globalization;
using System.Threading.Channels;
using Kiosk.Core.Roster;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.ConsoleDisplay;
using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Devices.Rdm6300;
using Kiosk.Device.Devices.Text;
using Kiosk.Device.Emulators;
using Kiosk.Device.Hosting;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Punching;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Simulation;

/// <summary>`run --simulate`: the real drivers (RDM6300 reader, R30x fingerprint driver) talking their real
/// protocols to the emulators over in-memory serial pairs, a keypad fed from the terminal, and the display
/// drawn on stdout. Only the byte pipe is simulated, so the punch flow runs exactly as on the Pi.</summary>
internal sealed class SimulatedDevices : IAsyncDisposable
{
    private readonly Channel<KeyPress> keys = Channel.CreateUnbounded<KeyPress>();
    private readonly KioskOptions options;
    private readonly TimeProvider time;

    private SimulatedDevices(KioskOptions options, TimeProvider time, Rdm6300Emulator card, R30xEmulator finger, KioskDevices devices)
    {
        this.options = options;
        this.time = time;
        Card = card;
        Finger = finger;
        Devices = devices;
    }

    public Rdm6300Emulator Card { get; }

    public R30xEmulator Finger { get; }

    public KioskDevices Devices { get; }

    public static SimulatedDevices Create(KioskOptions options, OfficeRoster roster, TextWriter output, bool draw, TimeProvider time, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(roster);
        var cardLine = InMemorySerialPair.Create("sim-rdm6300");
        var fingerLine = InMemorySerialPair.Create("sim-r30x");
        var cardEmulator = new Rdm6300Emulator(cardLine.Device, time);
        var fingerEmulator = new R30xEmulator(fingerLine.Device, log: logs.CreateLogger<R30xEmulator>());
        foreach (var worker in roster.Workers)
        {
            foreach (var slot in worker.FingerSlots)
            {
                fingerEmulator.Enrol(slot, FingerName(worker.Id, slot));
            }
        }

        fingerEmulator.Start();
        var reader = new Rdm6300Reader(cardLine.Host, new Rdm6300Options(options.CardIdFormat, "sim-rdm6300"), time, logs.CreateLogger<Rdm6300Reader>());
        var finger = new FingerprintReader(fingerLine.Host, new R30xOptions("sim-r30x"), time, logs.CreateLogger<FingerprintReader>());
        IDisplay display = draw
            ? new HalfBlockDisplay(output, new TextRenderer(UnifontHexFont.Default(null, logs.CreateLogger<UnifontHexFont>())))
            : new PlainTextDisplay(output);
        SimulatedDevices? self = null;
        var keypad = new ChannelKeypad(() => self!.keys.Reader);
        var devices = new KioskDevices([reader], finger, display, keypad, new ConsoleSignal(output))
        {
            Owned = [fingerEmulator],
        };
        self = new SimulatedDevices(options, time, cardEmulator, fingerEmulator, devices);
        return self;
    }

    public static string FingerName(string workerId, int slot) => "finger-" + workerId + "-" + slot.ToString(CultureInfo.InvariantCulture);

    /// <summary>A badge number as the office writes it → the tag the RDM6300 sends (version byte + 32-bit id).</summary>
    public async Task PresentCardAsync(string badge, CancellationToken cancellationToken)
    {
        string tag;
        if (options.CardIdFormat == CardIdFormat.Decimal10 && uint.TryParse(badge, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            tag = "00" + number.ToString("X8", CultureInfo.InvariantCulture);
        }
        else if (badge.Length == 10 && badge.All(char.IsAsciiHexDigit))
        {
            tag = badge.ToUpperInvariant();
        }
        else
        {
            throw new FormatException($"'{badge}' is not a badge number for a {options.CardIdFormat} office");
        }

        await Card.PresentAsync(tag, cancellationToken);
    }

    /// <summary>Puts a finger on the sensor for a moment (slot null = a finger nobody enrolled).</summary>
    public void TouchFinger(int? slot, TimeSpan hold)
    {
        if (slot is { } s)
        {
            Finger.PutFingerOfSlot(s);
        }
        else
        {
            Finger.PutUnknownFinger();
        }

        _ = LiftLaterAsync(hold);
    }

    public bool PressKey(KeyPress key) => keys.Writer.TryWrite(key);

    private async Task LiftLaterAsync(TimeSpan hold)
    {
        await Task.Delay(hold, time);
        Finger.LiftFinger();
    }

    public async ValueTask DisposeAsync()
    {
        keys.Writer.TryComplete();
        await Devices.DisposeAsync();
        Card.Dispose();
    }

    private sealed class ChannelKeypad(Func<ChannelReader<KeyPress>> reader) : IKeypad
    {
        public IAsyncEnumerable<KeyPress> ReadKeysAsync(CancellationToken cancellationToken) => reader().ReadAllAsync(cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>The buzzer and LEDs as words on the terminal.</summary>
internal sealed class ConsoleSignal(TextWriter output) : ISignal
{
    public void Success() => output.WriteLine("[signal] 嘀 green");

    public void Refusal() => output.WriteLine("[signal] 嘀嘀嘀 red");

    public void Attention() => output.WriteLine("[signal] 嘀嘀 amber");
}
