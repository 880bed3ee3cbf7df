using Kiosk.Device.Clock;
using Kiosk.Device.Configuration;
using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Journal;
using Kiosk.Device.Punching;
using Kiosk.Device.Secretary;
using Kiosk.Device.Simulation;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Device;
using Kiosk.Sync.Mqtt;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

namespace Kiosk.Device.Hosting;

/// <summary>How `kiosk run` was asked to run.</summary>
internal sealed record RunSettings(string? ConfigPath, bool Simulate, string? ScriptPath = null, bool Draw = false, int PaceMs = 0,
    DateTimeOffset? ClockStart = null);

/// <summary>The generic host of the kiosk (issue 4, "Running it"): configuration (file + KIOSK_* environment),
/// validation naming each bad field, Serilog, the journal check before anything else, then the punch flow,
/// systemd notifications, journal maintenance, the outbox pump when a broker is configured, and in simulate
/// mode the terminal input. SIGTERM → clean stop (ConsoleLifetime) with STOPPING=1.</summary>
internal static class KioskHost
{
    /// <summary>Exit code for a configuration error (sysexits EX_CONFIG): the unit's RestartPreventExitStatus.</summary>
    public const int ConfigError = 78;

    public static KioskOptions LoadOptions(string? configPath)
    {
        var path = configPath ?? KioskOptions.DefaultConfigPath;
        if (configPath is not null && !File.Exists(configPath))
        {
            throw new FileNotFoundException($"Configuration file '{configPath}' not found.", configPath);
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.GetFullPath(path), optional: configPath is null, reloadOnChange: false)
            .AddEnvironmentVariables("KIOSK_")
            .Build();
        var options = new KioskOptions();
        configuration.Bind(options);
        return options;
    }

    public static async Task<int> RunAsync(RunSettings run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        KioskOptions options;
        try
        {
            options = LoadOptions(run.ConfigPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or FormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("kiosk: cannot read the configuration: " + ex.Message);
            return ConfigError;
        }

        var errors = KioskOptionsValidator.Validate(options, run.Simulate);
        if (errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"kiosk: the configuration ({run.ConfigPath ?? KioskOptions.DefaultConfigPath} + KIOSK_* environment) is not valid:");
            foreach (var error in errors)
            {
                await Console.Error.WriteLineAsync("  - " + error);
            }

            return ConfigError;
        }

        using var logger = LoggingSetup.Create(options, consoleToStderr: run.Simulate);
        using var logs = new SerilogLoggerFactory(logger);
        var log = logs.CreateLogger("Kiosk.Device");
        try
        {
            return await RunValidatedAsync(options, run, logger, logs, log, cancellationToken);
        }
        catch (SqliteException ex)
        {
            log.LogCritical(ex, "The journal {Path} cannot be opened or written; the kiosk cannot record punches", options.ResolvedJournalPath);
            return 1;
        }
    }

    private static async Task<int> RunValidatedAsync(KioskOptions options, RunSettings run, Serilog.ILogger logger, ILoggerFactory logs, ILogger log,
        CancellationToken cancellationToken)
    {
        // The simulator may run on a shifted wall clock (a scripted morning on a chosen workday); hardware never does.
        var time = run.Simulate && run.ClockStart is { } start
            ? new Simulation.SimulatedClock(start, TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone))
            : TimeProvider.System;
        using var stopRequested = cancellationToken.Register(() => log.LogInformation("Stop requested (SIGTERM or Ctrl+C)"));
        using var journal = EventJournal.Open(options.Journal, logs.CreateLogger<EventJournal>());
        var clock = new ClockGuard(time, new LinuxClockSources(),
            new ClockOptions(TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone), options.TrustedRtc, TimeSpan.FromHours(options.CentreTimeValidityHours)),
            logs.CreateLogger<ClockGuard>());
        clock.Attach(journal);
        await JournalIntegrity.CheckAndRecordAsync(journal, clock.Stamp, logs.CreateLogger("Kiosk.Device.Journal"), cancellationToken);
        var config = new OfficeConfigStore(journal, options.OfficeId, time, logs.CreateLogger<OfficeConfigStore>());
        await config.LoadAsync(options.SeedConfigPath, cancellationToken);

        SimulatedDevices? simulated = null;
        var devices = run.Simulate
            ? (simulated = SimulatedDevices.Create(options, config.Current.Roster, Console.Out, run.Draw, time, logs)).Devices
            : DeviceFactory.Open(options, time, logs);
        if (devices.Fingerprint is FingerprintReader module)
        {
            await WarmUpAsync(module, log, cancellationToken);
        }

        var inputs = new InputHub(time, logs.CreateLogger<InputHub>());
        var kiosk = new KioskContext(journal, clock, config, devices, inputs, options, time, logs.CreateLogger<PunchFlow>());
        var liveness = new Liveness(time);
        using var notifier = SystemdNotifier.FromEnvironment();
        var adapters = new KioskSyncAdapters(config, clock, options.DataDirectory);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "kiosk" });
        builder.Logging.ClearProviders();
        Serilog.SerilogLoggingBuilderExtensions.AddSerilog(builder.Logging, logger);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(notifier);
        builder.Services.AddSingleton(liveness);
        builder.Services.AddHostedService(_ => new PunchFlow(kiosk, new SecretaryMode(kiosk, liveness), liveness));
        builder.Services.AddHostedService<SystemdLifecycle>();
        builder.Services.AddHostedService(_ => new JournalMaintenance(journal, clock, time, logs.CreateLogger<JournalMaintenance>()));
        if (simulated is not null)
        {
            var input = run.ScriptPath is null ? Console.In : new StreamReader(run.ScriptPath);
            builder.Services.AddHostedService(sp => new SimulationConsole(simulated, input, TimeSpan.FromMilliseconds(run.PaceMs), time,
                sp.GetRequiredService<IHostApplicationLifetime>(), logs.CreateLogger<SimulationConsole>(), liveness.Ready));
        }

        DeviceIdentity? identity = null;
        if (!string.IsNullOrWhiteSpace(options.Mqtt.Host))
        {
            identity = DeviceIdentity.LoadOrCreate(options.OfficeId, options.DeviceId, options.ResolvedSigningKeyFile);
            var pump = new OutboxPump(new JournalOutbox(journal, time, logs.CreateLogger<JournalOutbox>()), identity, new OutboxPumpOptions { Mqtt = MqttOptionsOf(options) }, time,
                logs.CreateLogger<OutboxPump>(), adapters, adapters, adapters);
            journal.Appended += _ => pump.NotifyAppended();
            builder.Services.AddHostedService(_ => pump);
        }
        else
        {
            log.LogInformation("No broker configured (Mqtt:Host): recording offline only");
        }

        try
        {
            using var host = builder.Build();
            log.LogInformation("Kiosk {Device} of office {Office} starting ({Mode}, identification {Identification}, journal {Journal} at sequence {Sequence})",
                options.DeviceId, options.OfficeId, run.Simulate ? "simulated devices" : "hardware", options.Identification, journal.Path, journal.Head.Sequence);
            await host.RunAsync(cancellationToken);
            log.LogInformation("Kiosk stopped cleanly at journal sequence {Sequence}", journal.Head.Sequence);
            return 0;
        }
        finally
        {
            // Stop the input pumps before closing the devices they read, so a clean stop logs no "reader gone".
            await inputs.DisposeAsync();
            identity?.Dispose();
            if (simulated is not null)
            {
                await simulated.DisposeAsync();
            }
            else
            {
                await devices.DisposeAsync();
            }
        }
    }

    /// <summary>Talks to the fingerprint module before the door opens, so the first worker of the day does not pay
    /// for (or fail on) the module's initialisation. A module that does not answer is logged; the driver retries
    /// lazily and the punch flow falls back to the card alone while it is broken.</summary>
    internal static async Task<bool> WarmUpAsync(FingerprintReader module, ILogger log, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var code = await module.InitializeAsync(cancellationToken);
            if (code == R30xCode.Ok)
            {
                return true;
            }

            log.LogWarning("Fingerprint module not ready (attempt {Attempt} of 3): {Code}", attempt, code);
        }

        log.LogError("Fingerprint module does not answer; punches continue and the module is retried on each use");
        return false;
    }

    private static MqttClientOptions MqttOptionsOf(KioskOptions options)
    {
        var m = options.Mqtt;
        return new MqttClientOptions
        {
            Host = m.Host!,
            Port = m.Port,
            ClientId = Topics.Username(options.DeviceId),
            Username = m.Username,
            Password = m.Password,
            Tls = m.CaFile is null ? null : new MqttTls(m.CaFile, m.CertFile, m.KeyFile),
        };
    }
}
