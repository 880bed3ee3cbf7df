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
        yield return RosterCommand.Build();
        yield return LeaveCommand.Build();
        yield return FindingCommand.Build();
        yield return NoticeCommand.Build();
        yield return PointsCommand.Build();
        yield return CalendarCommand.Build();
        yield return SettingsCommand.Build();
        yield return ScoreFilesCommand.Build();
        yield return ExportMonthCommand.Build();
        yield return ReportCommand.Build();
        yield return BoardCommand.Build();
        yield return YearCommand.Build();
        yield return DeviceCommand.Build();
        yield return ConfigCommand.Build();
        yield return ImportJournalCommand.Build();
        yield return ServeCommand.Build();
    }
}
