using System.Diagnostics;
using System.Text.Json;
using Kiosk.Core.Roster;
using Kiosk.Sync.Contract;

namespace Kiosk.Device.Tests.Hosting;

/// <summary>The built kiosk program as a child process (`dotnet kiosk.dll ...`), as systemd would run it.</summary>
internal static class KioskProcess
{
    public static ProcessStartInfo Info(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kiosk.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Remove("NOTIFY_SOCKET");
        return info;
    }

    /// <summary>A kiosk.json (+ seed roster) in <paramref name="dir"/>; <paramref name="extra"/> adds or replaces fields.</summary>
    public static string WriteConfig(string dir, Dictionary<string, object?>? extra = null)
    {
        var workers = new[] { new Worker("1001", "张三", ["0001623026"], "office-1", Role.Worker, new DateOnly(2020, 1, 1), null, [1]) };
        var roster = JsonSerializer.SerializeToElement(new OfficeRoster("office-1", "r1", workers, []), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var seed = Path.Combine(dir, "seed.json");
        File.WriteAllBytes(seed, SyncJson.Serialize(new OfficeConfig(1, "office-1", "seed-1", DateTimeOffset.UnixEpoch, roster, null, null, null)));
        var fields = new Dictionary<string, object?>
        {
            ["OfficeId"] = "office-1",
            ["DeviceId"] = "kiosk-1",
            ["DataDirectory"] = Path.Combine(dir, "data"),
            ["SeedConfigPath"] = seed,
        };
        foreach (var (k, v) in extra ?? [])
        {
            fields[k] = v;
        }

        var path = Path.Combine(dir, "kiosk.json");
        File.WriteAllText(path, JsonSerializer.Serialize(fields.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value)));
        return path;
    }
}
