using System.CommandLine;
using Kiosk.Central.Admin;

namespace Kiosk.Central.Cli;

/// <summary>device register|retire (issue 6, "Offices and devices").</summary>
internal static class DeviceCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var office = new Option<string>("--office") { Description = "社区 · office id", Required = true };
        var device = new Option<string>("--device") { Description = "终端编号 · device id", Required = true };
        var key = new Option<FileInfo>("--public-key") { Description = "终端公钥 · the device's public key (PEM, P-256; `kiosk identity` prints it)", Required = true };
        var passwd = new Option<string?>("--password-file") { Description = "mosquitto 密码文件 · add broker credentials to this password file (mosquitto_passwd -b); reload the broker afterwards" };
        var register = new Command("register", "登记终端 · register a kiosk: public key and broker credentials") { db, office, device, key, passwd };
        register.SetAction(async (parse, ct) => await CliCommon.WithStoreAsync(parse, db, async connection =>
        {
            var credentials = await DeviceEnrolment.RegisterAsync(connection, parse.GetValue(db)!, parse.GetValue(office)!, parse.GetValue(device)!,
                await File.ReadAllTextAsync(parse.GetValue(key)!.FullName, ct), parse.GetValue(passwd), CliCommon.Now(), ct);
            Console.WriteLine($"已登记 · device {parse.GetValue(device)} registered for office {parse.GetValue(office)}; broker username: {credentials.Username}");
            if (credentials.Password is { } password)
            {
                Console.WriteLine($"broker password (shown once, put it in the kiosk's /etc/kiosk/kiosk.json): {password}");
            }

            return 0;
        }, ct));

        var retireDb = CliCommon.DbOption();
        var retireDevice = new Option<string>("--device") { Description = "终端编号 · device id", Required = true };
        var retirePasswd = new Option<string?>("--password-file") { Description = "mosquitto 密码文件 · remove the device's broker user from it" };
        var retire = new Command("retire", "停用终端 · retire a kiosk (its records stay; later batches are refused)") { retireDb, retireDevice, retirePasswd };
        retire.SetAction(async (parse, ct) => await CliCommon.WithStoreAsync(parse, retireDb, async connection =>
        {
            await DeviceEnrolment.RetireAsync(connection, parse.GetValue(retireDb)!, parse.GetValue(retireDevice)!, parse.GetValue(retirePasswd),
                CliCommon.Now(), ct);
            Console.WriteLine($"已停用 · device {parse.GetValue(retireDevice)} retired");
            return 0;
        }, ct));
        var listDb = CliCommon.DbOption();
        var listOffice = new Option<string?>("--office") { Description = "社区 · only this office" };
        var list = new Command("list", "终端状态 · each kiosk's last seen, watermark, complete-up-to, queue, clock and config version") { listDb, listOffice };
        list.SetAction(async (parse, ct) => await CliCommon.WithStoreAsync(parse, listDb, async _ =>
        {
            var devices = await new Kiosk.Sync.Centre.InboxStore(parse.GetValue(listDb)!, CliCommon.Clock).GetDevicesAsync(parse.GetValue(listOffice), ct);
            Console.WriteLine("office\tdevice\tstate\tlast seen\twatermark\tcomplete up to\tqueue\tclock\tconfig\tsoftware");
            foreach (var d in devices)
            {
                var state = d.RetiredAt is not null ? "retired" : d.Online == true ? "online" : d.Online == false ? "offline" : "?";
                Console.WriteLine(string.Join('\t', d.OfficeId, d.DeviceId, state, d.LastSeenAt?.ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    d.WatermarkSequence, d.CompleteUpTo?.ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    d.QueueDepth?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", d.ClockState ?? "-", d.ConfigVersion ?? "-", d.SoftwareVersion ?? "-"));
            }

            return 0;
        }, ct));
        return CliCommon.Group("device", "终端 · kiosks", register, retire, list);
    }
}
