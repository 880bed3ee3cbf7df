using System.CommandLine;
using Kiosk.Central.Admin;

namespace Kiosk.Central.Cli;

/// <summary>calendar import: one year's exception-list JSON (cn-calendar.md).</summary>
internal static class CalendarCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var file = new Argument<FileInfo>("file") { Description = "日历 JSON · exception-list JSON of one year" };
        var import = new Command("import", "导入节假日安排 · import a year's holiday and 调休 calendar") { db, file };
        import.SetAction(parse => CliCommon.WithStore(parse, db, connection =>
        {
            var year = ImportCalendar.Run(connection, File.ReadAllText(parse.GetValue(file)!.FullName), CliCommon.Now());
            Console.WriteLine($"已导入 · calendar {year.Year} imported: {year.CountWorkdays()} workdays, version {year.Version}");
            return 0;
        }));
        return CliCommon.Group("calendar", "工作日历 · working calendar", import);
    }
}
