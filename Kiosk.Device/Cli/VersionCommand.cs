using System.CommandLine;
using System.Reflection;

namespace Kiosk.Device.Cli;

internal static class VersionCommand
{
    public static Command Build()
    {
        var command = new Command("version", "显示版本 · print the program version");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            Console.WriteLine(version ?? "unknown");
            return 0;
        });
        return command;
    }
}
