using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Device;
using Kiosk.Sync.Testing;

namespace Kiosk.Sync.Tests;

/// <summary>The wire seen from outside: mosquitto_sub (a client we did not write) captures every message kind, and
/// each must have exactly the shape of its example in docs/protocol.md.</summary>
[Collection("broker")]
public sealed partial class WireTests
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 7, 30, 0, TimeSpan.FromHours(8));
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Every_message_seen_by_mosquitto_sub_has_the_shape_documented_in_protocol_md()
    {
        await using var rig = await SyncRig.StartAsync("d1");
        var inbox = await rig.StartCentreAsync();
        // A persistent session of mosquitto_sub's own, registered before the kiosk sends anything, queues the
        // batch for it (no race with a live subscriber).
        var events = Topics.Events(SyncRig.Office, "d1");
        await SubAsync(rig, ["-i", "wire-events", "-c", "-x", "300", "-q", "1", "-E", "-t", events]);
        var config = new NullConfigSink();
        var kiosk = await rig.StartKioskAsync("d1", config: config);
        kiosk.Journal.Append(2, Morning);
        await rig.UntilAsync(() => rig.DrainedAsync(kiosk), "the punches drain");
        var roster = JsonDocument.Parse("""{"workers":[]}""").RootElement;
        await inbox.PublishConfigAsync(new OfficeConfig(1, SyncRig.Office, "2026-03-01.3", Morning, roster, null, null, null), ["d1"], None);
        await rig.UntilAsync(() => Task.FromResult(config.RunningVersion is not null), "the configuration is applied");

        var queued = await SubAsync(rig, ["-i", "wire-events", "-c", "-x", "300", "-q", "1", "-v", "-C", "1", "-W", "20", "-t", events]);
        var retained = await SubAsync(rig, ["-v", "-C", "3", "-W", "20", "-q", "1",
            "-t", Topics.Ack(SyncRig.Office, "d1"), "-t", Topics.Status(SyncRig.Office, "d1"), "-t", Topics.Config(SyncRig.Office, "d1")]);
        var timeSub = StartSub(rig, ["-v", "-C", "1", "-W", "20", "-t", Topics.Time]);
        await rig.UntilAsync(() => Task.FromResult(timeSub.HasExited), "a time message goes out");
        var time = await FinishAsync(timeSub);

        var byTopic = queued.Concat(retained).Concat(time).ToDictionary(m => m.Topic, m => m.Json);
        AssertShape("EventBatch", byTopic[events]);
        AssertShape("Ack", byTopic[Topics.Ack(SyncRig.Office, "d1")]);
        AssertShape("DeviceStatus", byTopic[Topics.Status(SyncRig.Office, "d1")]);
        AssertShape("OfficeConfig", byTopic[Topics.Config(SyncRig.Office, "d1")]);
        AssertShape("TimeMessage", byTopic[Topics.Time]);
        Assert.Equal(2, byTopic[events].GetProperty("events").GetArrayLength());
        Assert.Equal(2, byTopic[Topics.Ack(SyncRig.Office, "d1")].GetProperty("upToSequence").GetInt64());
        Assert.Equal("2026-03-01.3", byTopic[Topics.Status(SyncRig.Office, "d1")].GetProperty("configVersion").GetString());
    }

    private static void AssertShape(string heading, JsonElement wire)
    {
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "protocol.md"));
        var section = doc[(doc.IndexOf("### " + heading + "\n", StringComparison.Ordinal) + 1)..];
        var example = JsonBlock().Match(section);
        Assert.True(example.Success, $"protocol.md has no JSON example under ### {heading}");
        var expected = JsonDocument.Parse(example.Groups[1].Value).RootElement;
        var problems = new List<string>();
        Compare(expected, wire, heading, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\nwire: " + wire);
    }

    /// <summary>Same property names at every level; same JSON kind where both sides have a value.</summary>
    private static void Compare(JsonElement doc, JsonElement wire, string path, List<string> problems)
    {
        if (doc.ValueKind == JsonValueKind.Null || wire.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        static JsonValueKind Kind(JsonValueKind k) => k == JsonValueKind.False ? JsonValueKind.True : k;
        if (Kind(doc.ValueKind) != Kind(wire.ValueKind))
        {
            problems.Add($"{path}: documented {doc.ValueKind}, on the wire {wire.ValueKind}");
            return;
        }

        if (doc.ValueKind == JsonValueKind.Object)
        {
            var docNames = doc.EnumerateObject().Select(p => p.Name).ToHashSet();
            var wireNames = wire.EnumerateObject().Select(p => p.Name).ToHashSet();
            problems.AddRange(docNames.Except(wireNames).Select(n => $"{path}.{n}: documented but not on the wire"));
            problems.AddRange(wireNames.Except(docNames).Select(n => $"{path}.{n}: on the wire but not documented"));
            foreach (var name in docNames.Intersect(wireNames))
            {
                Compare(doc.GetProperty(name), wire.GetProperty(name), path + "." + name, problems);
            }
        }
        else if (doc.ValueKind == JsonValueKind.Array && doc.GetArrayLength() > 0 && wire.GetArrayLength() > 0)
        {
            Compare(doc[0], wire[0], path + "[0]", problems);
        }
    }

    private static Process StartSub(SyncRig rig, string[] args)
    {
        var psi = new ProcessStartInfo("mosquitto_sub")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-h", "127.0.0.1", "-p", rig.Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-u", SyncRig.CentreUser, "-P", SyncRig.Password(SyncRig.CentreUser), "-V", "mqttv5" }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }

    private static async Task<IReadOnlyList<(string Topic, JsonElement Json)>> SubAsync(SyncRig rig, string[] args) =>
        await FinishAsync(StartSub(rig, args));

    private static async Task<IReadOnlyList<(string Topic, JsonElement Json)>> FinishAsync(Process p)
    {
        using (p)
        {
            var output = await p.StandardOutput.ReadToEndAsync();
            var error = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, $"mosquitto_sub exited {p.ExitCode}: {error}");
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ', 2))
                .Select(parts => (parts[0], JsonDocument.Parse(parts[1]).RootElement))
                .ToList();
        }
    }

    [GeneratedRegex("```json\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    private sealed class NullConfigSink : IConfigSink
    {
        public string? RunningVersion { get; private set; }

        public Task ApplyAsync(OfficeConfig config, CancellationToken ct)
        {
            RunningVersion = config.Version;
            return Task.CompletedTask;
        }
    }
}
