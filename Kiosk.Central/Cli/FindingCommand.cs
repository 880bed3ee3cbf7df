using System.CommandLine;
using Kiosk.Central.Admin;
using Kiosk.Core.Events;

namespace Kiosk.Central.Cli;

/// <summary>finding add: 脱岗 found by an inspection (policy, "Scoring and consequences").</summary>
internal static class FindingCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var worker = CliCommon.WorkerOption();
        var date = new Option<string>("--date") { Description = "日期 · date yyyy-MM-dd", Required = true };
        var session = new Option<string>("--session") { Description = "时段 · Morning (上午) or Afternoon (下午)", Required = true };
        var inspector = new Option<string>("--inspector") { Description = "检查人 · inspector", Required = true };
        var note = new Option<string?>("--note") { Description = "备注 · note" };
        var add = new Command("add", "登记脱岗 · record an off-post (脱岗) inspection finding") { db, worker, date, session, inspector, note };
        add.SetAction(parse => CliCommon.WithStore(parse, db, connection =>
        {
            var id = AddFinding.Run(connection, parse.GetValue(worker)!, CliCommon.ParseDate(parse.GetValue(date)!, "--date"),
                CliCommon.ParseEnum<Session>(parse.GetValue(session)!, "--session"), parse.GetValue(inspector)!, parse.GetValue(note),
                CliCommon.Now());
            Console.WriteLine($"已登记 · recorded finding #{id}");
            return 0;
        }));
        return CliCommon.Group("finding", "脱岗检查 · inspection findings", add);
    }
}
