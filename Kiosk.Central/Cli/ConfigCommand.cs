using System.CommandLine;
using Kiosk.Central.Admin;
using Kiosk.Sync.Centre;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Mqtt;

namespace Kiosk.Central.Cli;

/// <summary>config publish: a new versioned OfficeConfig, recorded, and (with --publish) sent retained to each of the
/// office's active kiosks on attendance/v1/{office}/{device}/config (docs/protocol.md).</summary>
internal static class ConfigCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var office = new Option<string>("--office") { Description = "社区 · office id", Required = true };
        var send = new Option<bool>("--send") { Description = "立即下发 · also send it to the broker now (otherwise `serve` sends it on start)" };
        var output = new Option<FileInfo?>("--out")
        {
            Description = "写入文件 · also write the config JSON to this file: a kiosk without network takes it as its SeedConfigPath (USB stick)",
        };
        var broker = new BrokerOptions();
        var publish = new Command("publish", "发布终端配置 · publish the office configuration (roster, rules, calendar, approved leave)") { db, office, send, output };
        broker.AddTo(publish);
        publish.SetAction(async (parse, ct) => await CliCommon.WithStoreAsync(parse, db, async connection =>
        {
            var config = await PublishConfig.BuildAsync(connection, parse.GetValue(db)!, parse.GetValue(office)!, CliCommon.Now(), ct);
            Console.WriteLine($"已记录 · config version {config.Version} for office {config.OfficeId}");
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllBytesAsync(file.FullName, SyncJson.Serialize(config), ct);
                Console.WriteLine($"已写入 · written to {file.FullName}");
            }
            if (parse.GetValue(send))
            {
                var devices = (await new InboxStore(parse.GetValue(db)!, CliCommon.Clock).GetDevicesAsync(config.OfficeId, ct))
                    .Where(d => d.RetiredAt is null).Select(d => d.DeviceId).ToList();
                await SendAsync(broker.Read(parse, "kiosk-central-publish-" + Environment.ProcessId), config, devices, ct);
                Console.WriteLine($"已下发 · sent to {devices.Count} device(s)");
            }

            return 0;
        }, ct));
        return CliCommon.Group("config", "终端配置 · office configuration", publish);
    }

    public static async Task SendAsync(MqttClientOptions options, OfficeConfig config, IReadOnlyList<string> devices, CancellationToken ct)
    {
        try
        {
            using var client = new MosquittoClient(options);
            client.Start();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await client.WaitConnectedAsync(timeout.Token);
            var payload = SyncJson.Serialize(config);
            foreach (var device in devices)
            {
                var reason = await client.PublishAsync(Topics.Config(config.OfficeId, device), payload, 1, true, timeout.Token);
                if (reason >= 0x80)
                {
                    throw new AdminException($"the broker refused config {config.Version} for {device} (reason {reason})");
                }
            }
        }
        catch (MosquittoMissingException ex)
        {
            throw new AdminException(ex.Message, ex);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new AdminException($"broker {options.Host}:{options.Port} not reachable within 15 s; the config is recorded and `serve` sends it", ex);
        }
    }
}
