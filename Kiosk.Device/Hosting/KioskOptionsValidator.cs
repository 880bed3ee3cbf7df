using System.Globalization;

namespace Kiosk.Device.Hosting;

/// <summary>Start-up validation (issue 4, "Running it"): every problem is reported at once, each naming the
/// field as it is written in kiosk.json, so a technician can fix the file in one go.</summary>
public static class KioskOptionsValidator
{
    private static readonly string[] CardReaders = ["rdm6300", "pn532", "usb", "none"];
    private static readonly string[] Fingerprints = ["r30x", "none"];
    private static readonly string[] Displays = ["ssd1306", "console"];
    private static readonly string[] Levels = ["Verbose", "Debug", "Information", "Warning", "Error", "Fatal"];

    public static IReadOnlyList<string> Validate(KioskOptions options, bool simulate)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        RequireId(errors, "OfficeId", options.OfficeId);
        RequireId(errors, "DeviceId", options.DeviceId);
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("DataDirectory: required (where journal.db lives, e.g. /var/lib/kiosk).");
        }

        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            errors.Add($"TimeZone: '{options.TimeZone}' is not a known time zone (use an IANA name such as Asia/Shanghai).");
        }

        Range(errors, "ResultSeconds", options.ResultSeconds, 1, 60);
        Range(errors, "FingerWaitSeconds", options.FingerWaitSeconds, 1, 60);
        Range(errors, "SecretaryTimeoutSeconds", options.SecretaryTimeoutSeconds, 10, 3600);
        Range(errors, "RetentionDays", options.RetentionDays, 30, 3650);
        Range(errors, "CentreTimeValidityHours", options.CentreTimeValidityHours, 1, 24 * 30);
        OneOf(errors, "Log:Level", options.Log.Level, Levels);
        Range(errors, "Log:RetainedFiles", options.Log.RetainedFiles, 1, 3650);
        if (options.SeedConfigPath is { Length: > 0 } seed && !File.Exists(seed))
        {
            errors.Add($"SeedConfigPath: file '{seed}' does not exist.");
        }

        if (!simulate)
        {
            var d = options.Devices;
            OneOf(errors, "Devices:CardReader", d.CardReader, CardReaders);
            OneOf(errors, "Devices:Fingerprint", d.Fingerprint, Fingerprints);
            OneOf(errors, "Devices:Display", d.Display, Displays);
            if (d.CardReader == "usb" && string.IsNullOrWhiteSpace(d.UsbReaderDevice))
            {
                errors.Add("Devices:UsbReaderDevice: required when Devices:CardReader is usb (e.g. /dev/input/by-id/usb-...-event-kbd).");
            }

            if (options.Identification != IdentificationMode.CardOnly && d.Fingerprint == "none")
            {
                errors.Add($"Devices:Fingerprint: 'none' does not work with Identification {options.Identification}; use CardOnly or configure the module.");
            }

            if (options.Identification != IdentificationMode.FingerOnly && d.CardReader == "none")
            {
                errors.Add($"Devices:CardReader: 'none' does not work with Identification {options.Identification}; use FingerOnly or configure a reader.");
            }

            Range(errors, "Devices:DisplayAddress", d.DisplayAddress, 0x03, 0x77);
        }

        if (!string.IsNullOrWhiteSpace(options.Mqtt.Host))
        {
            Range(errors, "Mqtt:Port", options.Mqtt.Port, 1, 65535);
            if ((options.Mqtt.CertFile is null) != (options.Mqtt.KeyFile is null))
            {
                errors.Add("Mqtt:CertFile / Mqtt:KeyFile: give both or neither.");
            }
        }

        return errors;
    }

    private static void RequireId(List<string> errors, string field, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{field}: required.");
        }
        else if (!value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            // The id becomes an MQTT topic level (docs/protocol.md): no '/', '+', '#' or spaces.
            errors.Add($"{field}: '{value}' may contain only ASCII letters, digits, '-' and '_'.");
        }
    }

    private static void Range(List<string> errors, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{field}: {value} is outside {min}..{max}."));
        }
    }

    private static void OneOf(List<string> errors, string field, string value, string[] allowed)
    {
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            errors.Add($"{field}: '{value}' is not one of {string.Join(", ", allowed)}.");
        }
    }
}
