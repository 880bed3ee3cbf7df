using Kiosk.Device.Devices;
using Kiosk.Device.Devices.ConsoleDisplay;
using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Devices.Keypad;
using Kiosk.Device.Devices.Pn532;
using Kiosk.Device.Devices.Rdm6300;
using Kiosk.Device.Devices.Signal;
using Kiosk.Device.Devices.Ssd1306;
using Kiosk.Device.Devices.Text;
using Kiosk.Device.Devices.UsbCardReader;
using Kiosk.Device.Linux.Gpio;
using Kiosk.Device.Linux.Input;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Punching;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Hosting;

/// <summary>Opens the real hardware named in kiosk.json (Devices section). Serial and evdev devices reopen by
/// themselves after an unplug; a missing buzzer/LED chip is logged and replaced by a silent signal, because
/// a dead buzzer is no reason to stop taking punches.</summary>
internal static class DeviceFactory
{
    public static KioskDevices Open(KioskOptions options, TimeProvider time, ILoggerFactory logs)
    {
        var d = options.Devices;
        var log = logs.CreateLogger("Kiosk.Device.Devices");
        var cards = new List<ICardReader>();
        switch (d.CardReader)
        {
            case "rdm6300":
                cards.Add(new Rdm6300Reader(ReopeningSerialPort.ForDevice(d.CardPort, Rdm6300Options.BaudRate, time, log),
                    new Rdm6300Options(options.CardIdFormat), time, logs.CreateLogger<Rdm6300Reader>()));
                break;
            case "pn532":
                cards.Add(new Pn532Reader(ReopeningSerialPort.ForDevice(d.CardPort, 115200, time, log),
                    new Pn532Options(options.CardIdFormat), time, logs.CreateLogger<Pn532Reader>()));
                break;
            case "usb":
                cards.Add(new UsbCardReader(new ReopeningEvdevSource(d.UsbReaderDevice!, grab: true, time, log), options.CardIdFormat, time,
                    logs.CreateLogger<UsbCardReader>(), "usb"));
                break;
        }

        IFingerprintReader? finger = d.Fingerprint == "r30x"
            ? new FingerprintReader(ReopeningSerialPort.ForDevice(d.FingerprintPort, d.FingerprintBaud, time, log),
                new R30xOptions { BaudRate = d.FingerprintBaud }, time, logs.CreateLogger<FingerprintReader>())
            : null;
        var glyphs = UnifontHexFont.Default(null, log);
        IDisplay display = d.Display == "ssd1306"
            ? Ssd1306Display.Open("/dev/i2c-" + d.I2cBus.ToString(System.Globalization.CultureInfo.InvariantCulture), d.DisplayAddress, glyphs, log)
            : new HalfBlockDisplay(Console.Out, new TextRenderer(glyphs, log));
        IKeypad? keypad = string.IsNullOrWhiteSpace(d.KeypadDevice) ? null : new EvdevKeypad(new ReopeningEvdevSource(d.KeypadDevice, grab: true, time, log));
        return new KioskDevices(cards, finger, display, keypad, OpenSignal(d, time, log));
    }

    private static ISignal OpenSignal(DeviceOptions d, TimeProvider time, ILogger log)
    {
        try
        {
            var chip = GpioChip.Open(new LinuxGpioFiles(), d.GpioChip);
            return GpioSignal.Open(chip, new SignalPins(d.BuzzerLine, d.GreenLedLine, d.RedLedLine), time, log);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            log.LogError(ex, "Buzzer/LEDs on {Chip} lines {Buzzer},{Green},{Red} unavailable; continuing without them", d.GpioChip, d.BuzzerLine, d.GreenLedLine, d.RedLedLine);
            return new SilentSignal();
        }
    }

    /// <summary>No buzzer or LEDs (missing GPIO, benchmarks).</summary>
    internal sealed class SilentSignal : ISignal
    {
        public void Success()
        {
        }

        public void Refusal()
        {
        }

        public void Attention()
        {
        }
    }
}
