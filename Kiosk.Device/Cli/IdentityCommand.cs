using System.CommandLine;
using Kiosk.Device.Hosting;
using Kiosk.Sync.Contract;

namespace Kiosk.Device.Cli;

/// <summary>`kiosk identity`: prints the public half of the device's signing key (created on first use), for
/// `kiosk-central device register --public-key` (architecture decision 9). The private key never leaves the device.</summary>
internal static class IdentityCommand
{
    public static Command Build()
    {
        var config = new Option<string?>("--config") { Description = "配置文件 · configuration file (default /etc/kiosk/kiosk.json)" };
        var output = new Option<string?>("--out") { Description = "公钥文件 · also write the public key PEM to this file" };
        var command = new Command("identity", "设备公钥 · print this kiosk's public signing key for registration at the centre");
        command.Options.Add(config);
        command.Options.Add(output);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = KioskHost.LoadOptions(parseResult.GetValue(config));
            var keyFile = options.ResolvedSigningKeyFile;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
            using var identity = DeviceIdentity.LoadOrCreate(options.OfficeId, options.DeviceId, keyFile);
            var path = parseResult.GetValue(output);
            if (path is not null)
            {
                await File.WriteAllTextAsync(path, identity.PublicKeyPem + "\n", cancellationToken);
            }

            Console.WriteLine($"office {identity.OfficeId}, device {identity.DeviceId}");
            Console.WriteLine(identity.PublicKeyPem);
            return 0;
        });
        return command;
    }
}
