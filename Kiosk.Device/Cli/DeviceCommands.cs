using System.CommandLine;

namespace Kiosk.Device.Cli;

/// <summary>The list of the device program's commands. Each command is built in its own file
/// (RunCommand, ProbeCommands, ExportCommand, ...) and added here, one line each.</summary>
internal static class DeviceCommands
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Build();
        yield return ProbeCommand.Build();
        yield return RunCommand.Build();
        yield return ExportCommand.Build();
        yield return IdentityCommand.Build();
        yield return Simulation.PunchStorm.Build();
    }
}
