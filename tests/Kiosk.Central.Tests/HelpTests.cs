using System.CommandLine;
using Kiosk.Central.Cli;

namespace Kiosk.Central.Tests;

public sealed class HelpTests
{
    [Fact]
    public async Task Every_command_has_help_with_a_chinese_and_an_english_name()
    {
        var paths = new List<string[]>();
        void Walk(Command command, string[] path)
        {
            paths.Add(path);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}.* · [a-z]", command.Description ?? string.Empty);
            foreach (var child in command.Subcommands)
            {
                Walk(child, [.. path, child.Name]);
            }
        }

        foreach (var command in CentralCommands.All())
        {
            Walk(command, [command.Name]);
        }

        Assert.True(paths.Count >= 25, $"only {paths.Count} commands");
        foreach (var path in paths)
        {
            var (code, output, err) = await CliRunner.RunAsync([.. path, "--help"]);
            Assert.True(code == 0, string.Join(' ', path) + ": " + err);
            Assert.Contains("Usage:", output, StringComparison.Ordinal);
        }
    }
}
