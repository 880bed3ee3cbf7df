using System.CommandLine;

namespace Kiosk.Central.Cli;

/// <summary>The list of the centre's commands; each is built in its own file and added here.</summary>
internal static class CentralCommands
{
    public static IEnumerable<Command> All()
    {
        var version = new Command("version", "显示版本 · print the program version");
        version.SetAction(_ =>
        {
            Console.WriteLine(typeof(CentralCommands).Assembly.GetName().Version);
            return 0;
        });
        yield return version;
    }
}
