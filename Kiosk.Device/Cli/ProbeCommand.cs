using System.CommandLine;

namespace Kiosk.Device.Cli;

/// <summary>The "probe" parent command: one subcommand per part a field technician checks (issue 3,
/// "Probe commands for field technicians"). Each probe lives in its own file (ProbeFingerprintCommand,
/// ProbeCardCommand, ProbeDisplayCommand, ProbeGpioCommand, ...) and is added to the list below, one line each.</summary>
internal static class ProbeCommand
{
    public static IEnumerable<Func<Command>> Subcommands()
    {
        // Serial probes (fingerprint module, RDM6300/PN532 card readers).
        yield return ProbeFingerprintCommand.Build;
        yield return ProbeCardCommand.Build;
        // GPIO/display/keypad probes are added here.
        yield return ProbeDisplayCommand.Build;
        yield return ProbeGpioCommand.Build;
        yield return ProbeKeysCommand.Build;
    }

    public static Command Build()
    {
        var probe = new Command("probe", "检查硬件 · check one part of the kiosk (fingerprint, card reader, display, GPIO)");
        foreach (var build in Subcommands())
        {
            probe.Subcommands.Add(build());
        }

        return probe;
    }
}
