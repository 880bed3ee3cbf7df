using Serilog;
using Serilog.Events;

namespace Kiosk.Device.Hosting;

/// <summary>Serilog: console (journald captures it under systemd) and a rolling daily file. Plugged into the
/// generic host as a logging provider (Serilog.Extensions.Hosting is not in the feed). In simulate mode the
/// terminal shows the display on stdout, so the console sink writes to stderr.</summary>
internal static class LoggingSetup
{
    public static Serilog.Core.Logger Create(KioskOptions options, bool consoleToStderr, LogEventLevel? consoleLevel = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var level = Enum.Parse<LogEventLevel>(options.Log.Level);
        var directory = options.Log.Directory ?? Path.Combine(options.DataDirectory, "logs");
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.WithProperty("Device", options.DeviceId)
            .WriteTo.Console(
                restrictedToMinimumLevel: consoleLevel ?? level,
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: consoleToStderr ? LogEventLevel.Verbose : null,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            Directory.CreateDirectory(directory);
            configuration = configuration.WriteTo.File(
                Path.Combine(directory, "kiosk-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: options.Log.RetainedFiles,
                fileSizeLimitBytes: 50L * 1024 * 1024,
                rollOnFileSizeLimit: true,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No file log is no reason to keep the door shut: journald still gets the console output.
            Console.Error.WriteLine($"Log directory '{directory}' is not writable ({ex.Message}); logging to the console only.");
        }

        return configuration.CreateLogger();
    }
}
