using Kiosk.Device.Journal;
using Kiosk.Device.Devices;

namespace Kiosk.Device.Hosting;

/// <summary>How the kiosk identifies a worker at the door (issue 4, "Punch flow"). The default is card then
/// finger, because signing for someone else (代签) is forbidden (attendance-policy.md, "Working time").</summary>
public enum IdentificationMode { CardThenFinger, CardOnly, FingerOnly }

/// <summary>/etc/kiosk/kiosk.json, overridden by KIOSK_* environment variables (KIOSK_OFFICEID,
/// KIOSK_MQTT__HOST, ...). docs/device.md lists every field. Validated at start by <see cref="KioskOptionsValidator"/>.</summary>
public sealed class KioskOptions
{
    public const string DefaultConfigPath = "/etc/kiosk/kiosk.json";

    public string OfficeId { get; set; } = string.Empty;

    public string DeviceId { get; set; } = string.Empty;

    public string DataDirectory { get; set; } = "/var/lib/kiosk";

    /// <summary>Defaults to {DataDirectory}/journal.db.</summary>
    public string? JournalPath { get; set; }

    public string TimeZone { get; set; } = "Asia/Shanghai";

    public IdentificationMode Identification { get; set; } = IdentificationMode.CardThenFinger;

    public CardIdFormat CardIdFormat { get; set; } = CardIdFormat.Decimal10;

    /// <summary>How long a result (name, time, verdict) stays on screen before the idle screen returns.</summary>
    public int ResultSeconds { get; set; } = 4;

    /// <summary>How long the kiosk waits for the finger after a card (card-then-finger).</summary>
    public int FingerWaitSeconds { get; set; } = 8;

    /// <summary>Secretary mode returns to idle after this long without a key.</summary>
    public int SecretaryTimeoutSeconds { get; set; } = 60;

    /// <summary>Journal rows are pruned only after the centre acknowledged them and this many days passed.</summary>
    public int RetentionDays { get; set; } = 400;

    /// <summary>A battery-backed RTC (Pi 5 with its battery) the operator trusts (architecture decision 6).</summary>
    public bool TrustedRtc { get; set; }

    /// <summary>A centre time message keeps the clock trusted for this long (measured on the monotonic clock).</summary>
    public int CentreTimeValidityHours { get; set; } = 24;

    /// <summary>Office configuration used until the centre sends one (roster, settings, calendar): a JSON file
    /// in the OfficeConfig wire format (docs/protocol.md). Optional.</summary>
    public string? SeedConfigPath { get; set; }

    public LogOptions Log { get; set; } = new();

    public DeviceOptions Devices { get; set; } = new();

    /// <summary>The broker; leave Host empty to record offline only.</summary>
    public MqttOptions Mqtt { get; set; } = new();

    public string ResolvedJournalPath => JournalPath ?? Path.Combine(DataDirectory, "journal.db");

    /// <summary>The device's private signing key (docs/protocol.md, "Signature").</summary>
    public string ResolvedSigningKeyFile => Mqtt.SigningKeyFile ?? Path.Combine(DataDirectory, "device-key.pem");

    internal JournalOptions Journal => new(ResolvedJournalPath, OfficeId, DeviceId, RetentionDays);
}

public sealed class LogOptions
{
    /// <summary>Rolling daily files here; defaults to {DataDirectory}/logs.</summary>
    public string? Directory { get; set; }

    public string Level { get; set; } = "Information";

    public int RetainedFiles { get; set; } = 31;
}

public sealed class DeviceOptions
{
    /// <summary>rdm6300, pn532, usb or none.</summary>
    public string CardReader { get; set; } = "rdm6300";

    public string CardPort { get; set; } = "/dev/serial0";

    /// <summary>The evdev device of a USB keyboard-wedge reader (CardReader = usb).</summary>
    public string? UsbReaderDevice { get; set; }

    /// <summary>r30x or none.</summary>
    public string Fingerprint { get; set; } = "r30x";

    public string FingerprintPort { get; set; } = "/dev/ttyUSB0";

    public int FingerprintBaud { get; set; } = 57600;

    /// <summary>ssd1306 or console.</summary>
    public string Display { get; set; } = "ssd1306";

    public int I2cBus { get; set; } = 1;

    public int DisplayAddress { get; set; } = 0x3C;

    /// <summary>The evdev device of the numeric keypad; none when empty.</summary>
    public string? KeypadDevice { get; set; }

    public string GpioChip { get; set; } = "/dev/gpiochip0";

    public int BuzzerLine { get; set; } = 18;

    public int GreenLedLine { get; set; } = 23;

    public int RedLedLine { get; set; } = 24;
}

public sealed class MqttOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? CaFile { get; set; }

    public string? CertFile { get; set; }

    public string? KeyFile { get; set; }

    /// <summary>The device's ECDSA P-256 private key (PEM) that signs event batches (architecture decision 9).</summary>
    public string? SigningKeyFile { get; set; }
}
