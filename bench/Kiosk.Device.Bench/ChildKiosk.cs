using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Kiosk.Core.Roster;
using Kiosk.Sync.Contract;

namespace Kiosk.Device.Bench;

/// <summary>The built program as systemd runs it: `dotnet kiosk.dll run --simulate` with $NOTIFY_SOCKET.
/// Measures process start → READY=1, then feeds punches on stdin and reads VmRSS from /proc.</summary>
internal static class ChildKiosk
{
    /// <summary>Runs the program once. <paramref name="environment"/> adds DOTNET_* settings on top of the shipped
    /// kiosk.runtimeconfig.json, so a variant shows what one knob changes. Memory is read after the first 1,000 punches
    /// and at the end: growth between the two is per-punch retention, the first figure is the fixed cost.</summary>
    public static async Task<ChildResult> MeasureAsync(string directory, int punches, IReadOnlyDictionary<string, string>? environment = null)
    {
        const int Workers = 200;
        var workers = Enumerable.Range(0, Workers)
            .Select(i => new Worker("w" + i.ToString(CultureInfo.InvariantCulture), "工" + i.ToString(CultureInfo.InvariantCulture),
                [(2_000_000 + i).ToString("D10", CultureInfo.InvariantCulture)], "office-1", Role.Worker, new DateOnly(2020, 1, 1), null, []))
            .ToList();
        var seed = Path.Combine(directory, "seed.json");
        await File.WriteAllBytesAsync(seed, SyncJson.Serialize(new OfficeConfig(1, "office-1", "bench", DateTimeOffset.UnixEpoch,
            JsonSerializer.SerializeToElement(new OfficeRoster("office-1", "r", workers, []), new JsonSerializerOptions(JsonSerializerDefaults.Web)), null, null, null)));
        var config = Path.Combine(directory, "kiosk.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            OfficeId = "office-1",
            DeviceId = "bench-2",
            DataDirectory = Path.Combine(directory, "child-" + Guid.NewGuid().ToString("N")[..6]),
            SeedConfigPath = seed,
            Identification = "CardOnly",
            Log = new { Level = "Warning" },
        }));

        var name = "kiosk-bench-" + Guid.NewGuid().ToString("N");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "kiosk.dll"), "run", "--simulate", "--config", config })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NOTIFY_SOCKET"] = "@" + name;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(info)!;
        var buffer = new byte[256];
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (!Encoding.UTF8.GetString(buffer, 0, n).StartsWith("READY=1", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The kiosk did not say READY=1.");
            }
        }

        var startMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var signals = 0;
        var early = Math.Min(1_000, punches);
        var earlyDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("[signal]", StringComparison.Ordinal))
            {
                var n = Interlocked.Increment(ref signals);
                if (n >= early)
                {
                    earlyDone.TrySetResult();
                }

                if (n >= punches)
                {
                    done.TrySetResult();
                }
            }
        };
        process.BeginOutputReadLine();
        var first = (Rss: -1L, Anon: -1L, File: -1L);
        for (var i = 0; i < punches; i++)
        {
            if (i == early)
            {
                await earlyDone.Task.WaitAsync(TimeSpan.FromMinutes(2));
                first = ReadRss(process.Id);
            }

            await process.StandardInput.WriteLineAsync((2_000_000 + (i % Workers)).ToString("D10", CultureInfo.InvariantCulture));
            if (i % Workers == Workers - 1)
            {
                // The RDM6300 driver reports one card once while it stays in the field (500 ms): let the round leave.
                await Task.Delay(600);
            }
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var rss = ReadRss(process.Id);
        using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        await process.WaitForExitAsync();
        return new ChildResult(startMs, early == punches ? rss : first, rss, signals);
    }

    /// <summary>VmRSS, and its split into private (RssAnon) and file-backed (RssFile: the runtime's and the
    /// assemblies' mapped pages, shared with other .NET processes) from /proc/PID/status.</summary>
    private static (long Rss, long Anon, long File) ReadRss(int pid)
    {
        long Field(string name) => File.ReadLines($"/proc/{pid}/status")
            .Where(l => l.StartsWith(name, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024)
            .FirstOrDefault(-1);
        return (Field("VmRSS:"), Field("RssAnon:"), Field("RssFile:"));
    }
}

/// <summary>Start-up time, VmRSS and its split (bytes) after the first 1,000 punches and at the end.</summary>
internal sealed record ChildResult(double StartMs, (long Rss, long Anon, long File) Early, (long Rss, long Anon, long File) Memory, int Punches);
