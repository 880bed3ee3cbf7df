using System.CommandLine;
using Kiosk.Central.Admin;

namespace Kiosk.Central.Cli;

/// <summary>points set: the secretary's 0–20 points (policy, "Scoring"), only by that office's secretary.</summary>
internal static class PointsCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var worker = CliCommon.WorkerOption();
        var month = new Option<string>("--month") { Description = "月份 · month yyyy-MM", Required = true };
        var points = new Option<int>("--points") { Description = "书记评分 · points 0–20", Required = true };
        var by = CliCommon.ByOption("书记工号 · the worker id of the office's secretary");
        var set = new Command("set", "书记评分 · set the secretary's points for a worker and month") { db, worker, month, points, by };
        set.SetAction(parse => CliCommon.WithStore(parse, db, connection =>
        {
            var (y, m) = CliCommon.ParseMonth(parse.GetValue(month)!, "--month");
            var office = Lookup.Worker(connection, parse.GetValue(worker)!).Office;
            var max = SetSettings.For(connection, office).Score.SecretaryMaxPoints;
            SetSecretaryPoints.Run(connection, parse.GetValue(worker)!, y, m, parse.GetValue(points), parse.GetValue(by)!, max, CliCommon.Now());
            Console.WriteLine("已评分 · points recorded");
            return 0;
        }));
        return CliCommon.Group("points", "书记评分 · secretary points", set);
    }
}
