using System.CommandLine;
using Kiosk.Central.Cli;

namespace Kiosk.Central.Tests;

/// <summary>Runs the real command tree in process and captures what it prints. Console is process-wide and xunit runs
/// test classes in parallel, so a gate lets one command run at a time; each test's own work between commands still
/// runs in parallel.</summary>
internal static class CliRunner
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        await Gate.WaitAsync();
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (outWriter, errWriter) = (new StringWriter(), new StringWriter());
        try
        {
            Console.SetOut(outWriter);
            Console.SetError(errWriter);
            var root = new RootCommand("test");
            foreach (var c in CentralCommands.All())
            {
                root.Subcommands.Add(c);
            }

            var code = await root.Parse(args).InvokeAsync();
            return (code, outWriter.ToString(), errWriter.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            Gate.Release();
        }
    }
}
