using System.CommandLine;
using Kiosk.Central.Roster;

namespace Kiosk.Central.Cli;

/// <summary>roster import|export (issue 6, "Roster"): CSV with row-level errors; nothing half-imported.</summary>
internal static class RosterCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var file = new Argument<FileInfo>("file") { Description = "花名册 CSV · roster CSV file" };
        var import = new Command("import", "导入花名册 · import a roster CSV (all rows or none)") { db, file };
        import.SetAction(parse => CliCommon.WithStore(parse, db, connection =>
        {
            using var reader = new StreamReader(parse.GetValue(file)!.FullName);
            var errors = RosterStore.Import(connection, reader, CliCommon.Now());
            if (errors.Count > 0)
            {
                Console.Error.WriteLine($"花名册未导入 · roster NOT imported, {errors.Count} error(s):");
                foreach (var e in errors)
                {
                    Console.Error.WriteLine("  " + e);
                }

                return 2;
            }

            Console.WriteLine($"已导入 · imported {RosterStore.Load(connection).Count} workers now on the roster");
            return 0;
        }));

        var exportDb = CliCommon.DbOption();
        var office = new Option<string?>("--office") { Description = "社区 · only this office" };
        var output = new Option<FileInfo?>("--out") { Description = "输出文件 · output file (default: standard output)" };
        var export = new Command("export", "导出花名册 · export the roster as CSV") { exportDb, office, output };
        export.SetAction(parse => CliCommon.WithStore(parse, exportDb, connection =>
        {
            var rows = RosterStore.Load(connection, parse.GetValue(office));
            if (parse.GetValue(output) is { } path)
            {
                using var writer = new StreamWriter(path.FullName);
                RosterCsv.Write(writer, rows);
            }
            else
            {
                RosterCsv.Write(Console.Out, rows);
            }

            return 0;
        }));

        return CliCommon.Group("roster", "花名册 · roster of workers", import, export);
    }
}
