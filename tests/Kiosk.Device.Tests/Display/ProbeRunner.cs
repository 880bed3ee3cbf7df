using System.CommandLine;
using Kiosk.Device.Cli;

namespace Kiosk.Device.Tests.Display;

/// <summary>Runs `kiosk probe …` in process through the real command tree, capturing its output.</summary>
internal static class ProbeRunner
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand("kiosk (test)");
        root.Subcommands.Add(ProbeCommand.Build());
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(["probe", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
