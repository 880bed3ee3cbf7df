using System.CommandLine;
using Kiosk.Device.Cli;

// Thin host: the commands live in Cli/, one file each.
var root = new RootCommand("社区考勤终端 · attendance kiosk for a community office");
foreach (var command in DeviceCommands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
