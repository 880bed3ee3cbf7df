using System.CommandLine;
using Kiosk.Central.Admin;

namespace Kiosk.Central.Cli;

/// <summary>settings set: the rules settings document for an office (or '*'), validated by the core.</summary>
internal static class SettingsCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var office = new Option<string>("--office") { Description = "社区 · office id, or * for every office", Required = true };
        var by = CliCommon.ByOption("修改人 · who changes it");
        var file = new Argument<FileInfo>("file") { Description = "规则设置 JSON · rules settings JSON (docs/rules.md)" };
        var set = new Command("set", "设置考勤规则 · set an office's schedule and rule settings") { db, office, by, file };
        set.SetAction(parse => CliCommon.WithStore(parse, db, connection =>
        {
            var settings = SetSettings.Run(connection, parse.GetValue(office)!, File.ReadAllText(parse.GetValue(file)!.FullName),
                parse.GetValue(by)!, CliCommon.Now());
            Console.WriteLine($"已保存 · settings version {settings.Version} stored; publish with: config publish --office <id>");
            return 0;
        }));
        return CliCommon.Group("settings", "考勤规则 · rule settings", set);
    }
}
