using System.CommandLine;
using Kiosk.Central.Admin;
using Kiosk.Central.Reports;
using Kiosk.Central.Scoring;
using Kiosk.Core.Schedule;

namespace Kiosk.Central.Cli;

/// <summary>board: one office's day — who signed, who did not, who is pending (issue 6).</summary>
internal static class BoardCommand
{
    public static Command Build()
    {
        var db = CliCommon.DbOption();
        var office = new Option<string>("--office") { Description = "社区 · office id", Required = true };
        var date = new Option<string?>("--date") { Description = "日期 · date yyyy-MM-dd (default: today in the office)" };
        var complete = ReportCommand.CompleteUpToOption();
        var command = new Command("board", "当日考勤看板 · a day's board for an office") { db, office, date, complete };
        command.SetAction(async (parse, ct) => await CliCommon.WithStoreAsync(parse, db, async connection =>
        {
            var officeId = parse.GetValue(office)!;
            // Architecture decision 5: "today" is the office's date at its UTC offset (settings), not the server's.
            var day = parse.GetValue(date) is { } text
                ? CliCommon.ParseDate(text, "--date")
                : MinuteRule.Local(CliCommon.Now(), SetSettings.For(connection, officeId).UtcOffset).Date;
            var (input, devices) = await StoreScoring.LoadWithDevicesAsync(connection, parse.GetValue(db)!, officeId, day, day,
                ReportCommand.ParseCompleteUpTo(parse.GetValue(complete)), ct);
            if (!input.Offices.ContainsKey(officeId))
            {
                throw new AdminException($"--office: '{officeId}' has nobody on the roster");
            }

            Console.Write(DayBoard.Render(officeId, day, input.Offices[officeId].CompleteUpTo, DayBoard.Build(input, officeId, day), devices));
            return 0;
        }, ct));
        return command;
    }
}
