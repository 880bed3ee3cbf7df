using System.CommandLine;
using System.Globalization;
using Kiosk.Device.Clock;
using Kiosk.Device.Configuration;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.ConsoleDisplay;
using Kiosk.Device.Hosting;
using Kiosk.Device.Journal;
using Kiosk.Device.Punching;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Simulation;

/// <summary>Hidden `kiosk punch-storm --config F [--count N]`: the real punch use case (classify, commit, show)
/// as fast as it goes, printing "SHOWN seq worker" after each screen was pushed. The crash test SIGKILLs it at
/// random moments and checks every SHOWN punch is in the journal (architecture decision 2).</summary>
internal static class PunchStorm
{
    public static Command Build()
    {
        var config = new Option<string>("--config") { Description = "configuration file", Required = true };
        var count = new Option<int>("--count") { Description = "punches (0 = until killed)", DefaultValueFactory = _ => 0 };
        var command = new Command("punch-storm", "crash-test load: punches as fast as possible") { Hidden = true };
        command.Options.Add(config);
        command.Options.Add(count);
        command.SetAction(async (parseResult, cancellationToken) =>
            await RunAsync(parseResult.GetValue(config)!, parseResult.GetValue(count), Console.Out, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string configPath, int count, TextWriter output, CancellationToken cancellationToken)
    {
        var options = KioskHost.LoadOptions(configPath);
        var time = TimeProvider.System;
        var log = NullLogger.Instance;
        using var journal = EventJournal.Open(options.Journal, log);
        var clock = new ClockGuard(time, new LinuxClockSources(), new ClockOptions(TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone), true, TimeSpan.FromHours(24)), log);
        clock.Attach(journal);
        var report = await JournalIntegrity.CheckAndRecordAsync(journal, clock.Stamp, log, cancellationToken);
        await output.WriteLineAsync("STARTED head=" + journal.Head.Sequence.ToString(CultureInfo.InvariantCulture) + " healthy=" + report.Healthy.ToString());
        await output.FlushAsync(cancellationToken);
        var config = new OfficeConfigStore(journal, options.OfficeId, time, log);
        await config.LoadAsync(options.SeedConfigPath, cancellationToken);
        var display = new PlainTextDisplay(TextWriter.Null);
        var devices = new KioskDevices([], null, display, null, new ConsoleSignal(TextWriter.Null));
        await using var inputs = new InputHub(time, log);
        var kiosk = new KioskContext(journal, clock, config, devices, inputs, options, time, log);
        var recorder = new PunchRecorder(kiosk);
        var workers = config.Current.Roster.Workers;
        for (var i = 0; count == 0 || i < count; i++)
        {
            var worker = workers[i % workers.Count];
            var screen = await recorder.RecordPunchAsync(worker, worker.BadgeIds.FirstOrDefault(), null, Core.Events.PunchMethod.Card, cancellationToken);
            await display.ShowAsync(screen, cancellationToken);
            await output.WriteLineAsync("SHOWN " + journal.Head.Sequence.ToString(CultureInfo.InvariantCulture) + " " + worker.Id);
            await output.FlushAsync(cancellationToken);
        }

        return 0;
    }
}
