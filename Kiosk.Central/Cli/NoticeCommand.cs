using System.CommandLine;
using Kiosk.Central.Admin;

namespace Kiosk.Central.Cli;

/// <summary>notice add: 通报批评, counted by the year view (policy, "Scoring and consequences").</summary>
internal static class NoticeCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var worker = CliCommon.WorkerOption();
        var date = new Option<string>("--date") { Description = "日期 · date yyyy-MM-dd", Required = true };
        var text = new Option<string>("--text") { Description = "通报内容 · what the notice says", Required = true };
        var by = CliCommon.ByOption("登记人 · who enters it");
        var add = new Command("add", "登记通报 · record a public notice (通报)") { db, worker, date, text, by };
        add.SetAction(parse => CliCommon.WithStore(parse, db, connection =>
        {
            AddNotice.Run(connection, parse.GetValue(worker)!, CliCommon.ParseDate(parse.GetValue(date)!, "--date"), parse.GetValue(text)!,
                parse.GetValue(by)!, CliCommon.Now());
            Console.WriteLine("已登记 · notice recorded");
            return 0;
        }));
        return CliCommon.Group("notice", "通报 · notices", add);
    }
}
