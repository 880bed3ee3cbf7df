using System.CommandLine;
using Kiosk.Device.Hosting;

namespace Kiosk.Device.Cli;

/// <summary>`kiosk run`: the program systemd starts, and with --simulate the same program on emulated devices.</summary>
internal static class RunCommand
{
    public static Command Build()
    {
        var config = new Option<string?>("--config") { Description = "配置文件 · configuration file (default /etc/kiosk/kiosk.json)" };
        var simulate = new Option<bool>("--simulate") { Description = "模拟设备 · emulated card reader, fingerprint module, keypad; display on the terminal" };
        var script = new Option<string?>("--script") { Description = "模拟命令文件 · read simulator commands from this file instead of stdin" };
        var draw = new Option<bool>("--draw") { Description = "在终端画出显示屏 · draw the 128×64 screen with block characters" };
        var pace = new Option<int>("--pace-ms") { Description = "每条模拟命令后的停顿 · pause after each simulator command (ms)", DefaultValueFactory = _ => 0 };
        var clockStart = new Option<DateTimeOffset?>("--clock-start")
        {
            Description = "模拟时钟起点 · with --simulate: start the wall clock at this local time, e.g. 2026-03-02T07:55+08:00 (script command 'at HH:mm' moves it forward)",
        };
        var command = new Command("run", "运行考勤终端 · run the kiosk");
        command.Options.Add(config);
        command.Options.Add(simulate);
        command.Options.Add(script);
        command.Options.Add(draw);
        command.Options.Add(pace);
        command.Options.Add(clockStart);
        command.SetAction(async (parseResult, cancellationToken) => await KioskHost.RunAsync(
            new RunSettings(parseResult.GetValue(config), parseResult.GetValue(simulate), parseResult.GetValue(script), parseResult.GetValue(draw),
                parseResult.GetValue(pace), parseResult.GetValue(clockStart)),
            cancellationToken));
        return command;
    }
}
