using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kiosk.Core.Roster;
using Kiosk.Device.Clock;
using Kiosk.Device.Configuration;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.Rdm6300;
using Kiosk.Device.Emulators;
using Kiosk.Device.Hosting;
using Kiosk.Device.Journal;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Punching;
using Kiosk.Device.Secretary;
using Kiosk.Device.Tests.TestSupport;
using Kiosk.Sync.Contract;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Bench;

/// <summary>Card frame written on the emulator's end of a socat pty → RDM6300 driver → punch flow → journal commit
/// → display pushed. One punch at a time (a door), timed from just before the frame is written to the moment
/// the result screen reaches the display.</summary>
internal static class PunchPath
{
    /// <summary>Untimed punches first: JIT and tier-up of the path, the first growth of the WAL.</summary>
    public const int WarmUp = 200;

    /// <summary>Times <paramref name="count"/> punches after <see cref="WarmUp"/> untimed ones (the floor gets the same
    /// warm-up); after each punch, <paramref name="floor"/> takes one raw insert+commit sample.</summary>
    public static async Task<(double[] Samples, long BytesPerPunch)> MeasureAsync(string directory, int count, SqliteFloor floor)
    {
        const int Workers = 200;
        var workers = Enumerable.Range(0, Workers)
            .Select(i => new Worker("w" + i.ToString(CultureInfo.InvariantCulture), "工" + i.ToString(CultureInfo.InvariantCulture),
                [(1_000_000 + i).ToString("D10", CultureInfo.InvariantCulture)], "office-1", Role.Worker, new DateOnly(2020, 1, 1), null, []))
            .ToList();
        var options = new KioskOptions { OfficeId = "office-1", DeviceId = "bench-1", Identification = IdentificationMode.CardOnly };
        using var journal = EventJournal.Open(new JournalOptions(Path.Combine(directory, "journal.db"), "office-1", "bench-1"), NullLogger.Instance);
        var time = TimeProvider.System;
        var clock = new ClockGuard(time, new LinuxClockSources(), new ClockOptions(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), true, TimeSpan.FromHours(1)), NullLogger.Instance);
        clock.Attach(journal);
        var config = new OfficeConfigStore(journal, "office-1", time, NullLogger.Instance);
        await config.ApplyAsync(new OfficeConfig(1, "office-1", "bench", DateTimeOffset.UnixEpoch,
            JsonSerializer.SerializeToElement(new OfficeRoster("office-1", "r", workers, []), new JsonSerializerOptions(JsonSerializerDefaults.Web)), null, null, null),
            CancellationToken.None);

        await using var pty = await SocatPty.StartAsync();
        using var emulator = new Rdm6300Emulator(LinuxSerialPort.Open(pty.DevicePath, Rdm6300Options.BaudRate), time);
        var reader = new Rdm6300Reader(LinuxSerialPort.Open(pty.HostPath, Rdm6300Options.BaudRate), new Rdm6300Options(CardIdFormat.Decimal10), time);
        var display = new TimingDisplay();
        var devices = new KioskDevices([reader], null, display, null, new DeviceFactory.SilentSignal());
        var inputs = new InputHub(time, NullLogger.Instance);
        var kiosk = new KioskContext(journal, clock, config, devices, inputs, options, time, NullLogger.Instance);
        using var flow = new PunchFlow(kiosk, new SecretaryMode(kiosk), new Liveness(time));
        using var stop = new CancellationTokenSource();
        await flow.StartAsync(stop.Token);
        await Task.Delay(300);

        var samples = new double[count];
        var allocated = 0L;
        for (var i = -WarmUp; i < count; i++)
        {
            if (i == 0)
            {
                floor.Reset();
                allocated = GC.GetTotalAllocatedBytes(precise: true);
            }

            var tag = "00" + (1_000_000 + ((i + WarmUp) % Workers)).ToString("X8", CultureInfo.InvariantCulture);
            var shown = display.Next();
            var start = Stopwatch.GetTimestamp();
            await emulator.PresentAsync(tag, CancellationToken.None);
            var pushed = await shown.WaitAsync(TimeSpan.FromSeconds(10));
            if (i >= 0)
            {
                samples[i] = Stopwatch.GetElapsedTime(start, pushed).TotalMilliseconds;
            }

            floor.InsertOne();
        }

        // Everything the process allocated per punch: driver, flow, journal, the bench's own loop and floor insert.
        allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / count;
        await flow.StopAsync(CancellationToken.None);
        await inputs.DisposeAsync();
        await devices.DisposeAsync();
        if (journal.Head.Sequence != count + WarmUp)
        {
            throw new InvalidOperationException($"Expected {count + WarmUp} journal rows, found {journal.Head.Sequence}.");
        }

        return (samples, allocated);
    }

    /// <summary>Completes with the timestamp of the next result screen (a line with the worker's name and time).</summary>
    private sealed class TimingDisplay : IDisplay
    {
        private TaskCompletionSource<long> next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<long> Next()
        {
            next = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            return next.Task;
        }

        public Task ShowAsync(Screen screen, CancellationToken cancellationToken)
        {
            if (screen.Lines.Count > 0 && screen.Lines[0].StartsWith('工'))
            {
                next.TrySetResult(Stopwatch.GetTimestamp());
            }

            return Task.CompletedTask;
        }
    }

}
