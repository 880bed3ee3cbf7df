using System.Reflection;
using System.Text.Json;
using Kiosk.Deploy.Tests.Support;
using Kiosk.Device.Hosting;
using Microsoft.Extensions.Configuration;

namespace Kiosk.Deploy.Tests;

/// <summary>The /etc/kiosk/kiosk.json the installer writes is read by the real kiosk options and validator:
/// a renamed option or a typo in the template fails here, not on a Pi at an office door.</summary>
public sealed class ShippedConfigurationTests : IDisposable
{
    private readonly TempRoot temp = new();

    public void Dispose() => temp.Dispose();

    private async Task<string> RenderAsync(params string[] ids)
    {
        var root = temp.Sub("root");
        var result = await Shell.BashAsync(Shell.Script("install"),
            ["--root", root, "--dry-run", "--payload", temp.MakeKioskPayload("1.0.0"), .. ids]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return temp.At("root/etc/kiosk/kiosk.json");
    }

    private static KioskOptions Bind(string path)
    {
        // The kiosk binds kiosk.json at the root (KioskOptions: KIOSK_OFFICEID, KIOSK_MQTT__HOST overrides).
        var configuration = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();
        var options = new KioskOptions();
        configuration.Bind(options);
        return options;
    }

    [Fact]
    public async Task The_installed_configuration_binds_to_the_kiosk_options_and_passes_the_validator()
    {
        var path = await RenderAsync("--device-id", "kiosk-0001", "--office", "office-01", "--broker", "mqtt.example.cn");

        var options = Bind(path);
        var errors = KioskOptionsValidator.Validate(options, simulate: false);

        Assert.Empty(errors);
        Assert.Equal("kiosk-0001", options.DeviceId);
        Assert.Equal("office-01", options.OfficeId);
        Assert.Equal("/var/lib/kiosk/journal.db", options.ResolvedJournalPath);
        Assert.Equal("/dev/kiosk-fingerprint", options.Devices.FingerprintPort);
        Assert.Equal("/dev/kiosk-card", options.Devices.CardPort);
        Assert.Equal("/var/log/kiosk", options.Log.Directory);
        Assert.Equal(IdentificationMode.CardThenFinger, options.Identification);
        Assert.Equal(("mqtt.example.cn", 8883), (options.Mqtt.Host, options.Mqtt.Port));
        Assert.Equal("/etc/kiosk/tls/device.key", options.Mqtt.KeyFile);
    }

    [Fact]
    public async Task Without_ids_the_kiosk_refuses_to_start_and_names_both_fields()
    {
        var path = await RenderAsync();

        var errors = KioskOptionsValidator.Validate(Bind(path), simulate: false);

        Assert.Contains("DeviceId: required.", errors);
        Assert.Contains("OfficeId: required.", errors);
    }

    [Fact]
    public async Task Every_key_in_the_shipped_configuration_is_an_option_the_kiosk_knows()
    {
        var path = await RenderAsync("--device-id", "k1", "--office", "o1");
        using var json = JsonDocument.Parse(File.ReadAllText(path));

        var unknown = new List<string>();
        Walk(json.RootElement, typeof(KioskOptions), string.Empty, unknown);

        Assert.Empty(unknown);
    }

    private static void Walk(JsonElement element, Type type, string prefix, List<string> unknown)
    {
        foreach (var property in element.EnumerateObject())
        {
            var match = type.GetProperty(property.Name,
                BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (match is null || !match.CanWrite)
            {
                unknown.Add(prefix + property.Name);
            }
            else if (property.Value.ValueKind == JsonValueKind.Object)
            {
                Walk(property.Value, match.PropertyType, prefix + property.Name + ":", unknown);
            }
        }
    }
}
