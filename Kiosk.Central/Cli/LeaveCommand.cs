using System.CommandLine;
using Kiosk.Central.Admin;
using Kiosk.Central.Store;
using Kiosk.Core.Events;

namespace Kiosk.Central.Cli;

/// <summary>leave request|approve|refuse|cancel|list along the ladder of the rules core (policy, "Leave"), over the
/// whole leave register: leave requested here and leave registered on a kiosk (LeaveRegister).
/// Approved leave reaches the kiosks with the next `config publish`.</summary>
internal static class LeaveCommand
{
    public static Command Build() => CliCommon.Group("leave", "请销假 · leave",
        RequestCommand(), DecideCommand("approve", "批准请假 · approve a leave (one step of the ladder)", true),
        DecideCommand("refuse", "不批准 · refuse a leave", false), CancelCommand(), ListCommand());

    private static Command RequestCommand()
    {
        var db = CliCommon.DbOption();
        var worker = CliCommon.WorkerOption();
        var type = new Option<string>("--type") { Description = "假别 · Personal, Sick, Annual, Marriage, Maternity, Nursing, Bereavement, Public, Other", Required = true };
        var start = new Option<string>("--start") { Description = "开始日期 · first day yyyy-MM-dd", Required = true };
        var session = new Option<string>("--session") { Description = "开始时段 · Morning or Afternoon", DefaultValueFactory = _ => "Morning" };
        var halfDays = new Option<int>("--half-days") { Description = "时长(半天) · length in working half-days", Required = true };
        var by = CliCommon.ByOption("申请登记人 · who enters the request");
        var reason = new Option<string?>("--reason") { Description = "事由 · reason" };
        var command = new Command("request", "请假申请 · request leave") { db, worker, type, start, session, halfDays, by, reason };
        command.SetAction(parse => CliCommon.WithStore(parse, db, connection =>
        {
            var leave = LeaveDecisions.Request(connection, parse.GetValue(worker)!,
                CliCommon.ParseEnum<LeaveType>(parse.GetValue(type)!, "--type"), CliCommon.ParseDate(parse.GetValue(start)!, "--start"),
                CliCommon.ParseEnum<Session>(parse.GetValue(session)!, "--session"), parse.GetValue(halfDays), parse.GetValue(by)!,
                parse.GetValue(reason), CliCommon.Now());
            Console.WriteLine($"已申请 · leave {leave.LeaveId} requested; final approver: {leave.ApproverRole}");
            return 0;
        }));
        return command;
    }

    private static Command DecideCommand(string name, string description, bool approve)
    {
        var db = CliCommon.DbOption();
        var id = new Argument<string>("leave-id") { Description = "请假编号 · leave id" };
        var by = CliCommon.ByOption("审批人工号 · worker id of the approver (role checked against the ladder)");
        var command = new Command(name, description) { db, id, by };
        command.SetAction(async (parse, ct) => await CliCommon.WithStoreAsync(parse, db, async connection =>
        {
            var leave = await LeaveDecisions.DecideAsync(connection, parse.GetValue(db)!, parse.GetValue(id)!, parse.GetValue(by)!, approve,
                CliCommon.Now(), ct);
            Console.WriteLine($"leave {leave.LeaveId}: {leave.State} (by {leave.DecidedBy}, {leave.ApproverRole})");
            return 0;
        }, ct));
        return command;
    }

    private static Command CancelCommand()
    {
        var db = CliCommon.DbOption();
        var id = new Argument<string>("leave-id") { Description = "请假编号 · leave id" };
        var by = CliCommon.ByOption("销假登记人 · who cancels it");
        var command = new Command("cancel", "销假/撤销 · cancel a leave") { db, id, by };
        command.SetAction(async (parse, ct) => await CliCommon.WithStoreAsync(parse, db, async connection =>
        {
            var leave = await LeaveDecisions.CancelAsync(connection, parse.GetValue(db)!, parse.GetValue(id)!, parse.GetValue(by)!,
                CliCommon.Now(), ct);
            Console.WriteLine($"leave {leave.LeaveId}: {leave.State}");
            return 0;
        }, ct));
        return command;
    }

    private static Command ListCommand()
    {
        var db = CliCommon.DbOption();
        var office = new Option<string?>("--office") { Description = "社区 · only this office" };
        var command = new Command("list", "请假登记本 · list leave with its current state") { db, office };
        command.SetAction(async (parse, ct) => await CliCommon.WithStoreAsync(parse, db, async connection =>
        {
            foreach (var (o, l) in await LeaveRegister.CurrentAsync(connection, parse.GetValue(db)!, parse.GetValue(office), ct))
            {
                Console.WriteLine($"{l.LeaveId}\t{o}\t{l.WorkerId}\t{l.Type}\t{l.Start:yyyy-MM-dd} {l.StartSession}\t{l.HalfDays}\t{l.State}\t{l.ApproverRole}");
            }

            return 0;
        }, ct));
        return command;
    }
}
