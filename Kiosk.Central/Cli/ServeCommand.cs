using System.CommandLine;
using Kiosk.Central.Admin;
using Kiosk.Central.Store;
using Kiosk.Sync.Centre;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace Kiosk.Central.Cli;

/// <summary>serve: the centre as a long-running host — the sync inbox (events, statuses, acks, time) over the broker,
/// and on start the latest recorded configuration of every office re-sent retained to its kiosks.</summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var log = new Option<string?>("--log-file") { Description = "日志文件 · rolling log file (default: console only)" };
        var clientId = new Option<string>("--client-id") { Description = "客户端编号 · MQTT client id (unique per central process)", DefaultValueFactory = _ => "kiosk-central-" + Environment.MachineName };
        var broker = new BrokerOptions();
        var command = new Command("serve", "运行中心服务 · run the central service: receive kiosk logs, acknowledge, publish config and time") { db, log, clientId };
        broker.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var logger = new LoggerConfiguration().MinimumLevel.Information().WriteTo.Console();
            if (parse.GetValue(log) is { } file)
            {
                logger = logger.WriteTo.File(file, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 30);
            }

            Log.Logger = logger.CreateLogger();
            var dbPath = parse.GetValue(db)!;
            await using (await CentralStore.OpenAsync(dbPath, ct))
            {
                // Both schemas exist before the inbox opens its own connections.
            }

            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Logging.AddSerilog(Log.Logger, dispose: true);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton(sp => new InboxStore(dbPath, TimeProvider.System, sp.GetRequiredService<ILogger<InboxStore>>()));
            builder.Services.AddSingleton(new CentreInboxOptions { Mqtt = broker.Read(parse, parse.GetValue(clientId)!) });
            builder.Services.AddSingleton<CentreInbox>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<CentreInbox>());
            using var host = builder.Build();
            await host.StartAsync(ct);
            await RepublishAsync(host.Services.GetRequiredService<CentreInbox>(), host.Services.GetRequiredService<InboxStore>(), dbPath,
                host.Services.GetRequiredService<ILogger<CentreInbox>>(), ct);
            await host.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }

    /// <summary>Retained configs survive in the broker, but a broker that lost its store (killed before autosave,
    /// libmosquitto-notes.md) would leave kiosks without one: re-sending the latest version on start is idempotent.</summary>
    private static async Task RepublishAsync(CentreInbox inbox, InboxStore store, string dbPath, Microsoft.Extensions.Logging.ILogger log,
        CancellationToken ct)
    {
        for (var i = 0; i < 50 && inbox.Client is not { IsConnected: true }; i++)
        {
            await Task.Delay(200, ct);
        }

        if (inbox.Client is not { IsConnected: true })
        {
            log.LogWarning("Broker not connected yet; office configurations will be sent by the next `config publish --send`");
            return;
        }

        using var db = CentralDb.Open(dbPath);
        foreach (var config in PublishConfig.Latest(db))
        {
            var devices = (await store.GetDevicesAsync(config.OfficeId, ct)).Where(d => d.RetiredAt is null).Select(d => d.DeviceId).ToList();
            await inbox.PublishConfigAsync(config, devices, ct);
            log.LogInformation("Re-sent config {Version} of office {Office} to {Count} device(s)", config.Version, config.OfficeId, devices.Count);
        }
    }
}
