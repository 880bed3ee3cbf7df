using System.CommandLine;
using Kiosk.Central.Cli;

// Thin host: the commands live in Cli/, one file each.
var root = new RootCommand("街道考勤中心 · central attendance service for a sub-district office");
foreach (var command in CentralCommands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
