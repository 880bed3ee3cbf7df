using System.CommandLine;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Linux.Serial;

namespace Kiosk.Device.Cli;

/// <summary>`probe fingerprint`: a technician checks the module in a minute (issue 3, "Probe commands"):
/// parameters and template count, then identify fingers in a loop until Ctrl+C.</summary>
internal static class ProbeFingerprintCommand
{
    public static Command Build()
    {
        var port = new Option<string>("--port") { Description = "串口 · serial device of the module, e.g. /dev/ttyAMA0 or /dev/serial0", Required = true };
        var baud = new Option<int>("--baud") { Description = "波特率 · baud rate (factory default 57600)", DefaultValueFactory = _ => 57600 };
        var password = new Option<uint>("--password") { Description = "模块密码 · module password (default 0)", DefaultValueFactory = _ => 0u };
        var wait = new Option<int>("--wait") { Description = "每次等待手指的秒数 · seconds to wait for a finger per attempt", DefaultValueFactory = _ => 10 };
        var command = new Command("fingerprint", "检查指纹模块 · print the fingerprint module's parameters and template count, then identify fingers until Ctrl+C")
        {
            port, baud, password, wait,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var path = parseResult.GetValue(port)!;
            ISerialTransport transport;
            try
            {
                transport = LinuxSerialPort.Open(path, parseResult.GetValue(baud));
            }
            catch (IOException ex)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"无法打开串口 · cannot open {path}: {ex.Message}");
                return 2;
            }

            var options = new R30xOptions { BaudRate = parseResult.GetValue(baud), Password = parseResult.GetValue(password) };
            await using var reader = new FingerprintReader(transport, options, TimeProvider.System);
            return await RunAsync(reader, output, TimeSpan.FromSeconds(parseResult.GetValue(wait)), cancellationToken);
        });
        return command;
    }

    /// <summary>The probe itself, separate from option parsing so it runs against any transport.</summary>
    public static async Task<int> RunAsync(FingerprintReader reader, TextWriter output, TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            var init = await reader.InitializeAsync(cancellationToken);
            if (init != R30xCode.Ok)
            {
                await output.WriteLineAsync($"模块无应答 · module did not answer: 0x{(int)init:X2} {R30xCodes.Describe(init)}");
                return 1;
            }

            var p = reader.Parameters!;
            await output.WriteLineAsync($"容量 capacity={p.Capacity} 安全等级 security={p.SecurityLevel} packet={p.PacketBytes}B baud={p.BaudRate} address=0x{p.Address:X8} system-id=0x{p.SystemId:X4}");
            var (countCode, count) = await reader.Module.TemplateCountAsync(cancellationToken);
            await output.WriteLineAsync(countCode == R30xCode.Ok
                ? $"已存指纹 templates={count}"
                : $"模板数读取失败 · template count failed: {R30xCodes.Describe(countCode)}");
            var (slotsCode, slots) = await reader.ListSlotsAsync(cancellationToken);
            if (slotsCode == R30xCode.Ok && slots.Count > 0)
            {
                await output.WriteLineAsync($"slots={string.Join(',', slots.Take(32))}{(slots.Count > 32 ? ",…" : string.Empty)}");
            }

            while (!cancellationToken.IsCancellationRequested)
            {
                await output.WriteLineAsync("请按手指 · place a finger (Ctrl+C to stop)");
                var match = await reader.IdentifyAsync(wait, cancellationToken);
                var line = match.Status switch
                {
                    FingerStatus.Ok => $"识别成功 · match slot={match.Slot} score={match.Score}",
                    FingerStatus.NoMatch => "未识别 · no match",
                    FingerStatus.NoFinger => "无手指 · no finger",
                    _ => $"{match.Status}: {match.Detail}",
                };
                await output.WriteLineAsync(line);
                if (match.Status is FingerStatus.Ok or FingerStatus.NoMatch)
                {
                    await output.WriteLineAsync("请抬起手指 · lift the finger");
                    await WaitForLiftAsync(reader, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await output.WriteLineAsync($"frames: {reader.Module.Statistics}");
        return 0;
    }

    private static async Task WaitForLiftAsync(FingerprintReader reader, CancellationToken cancellationToken)
    {
        // Avoid identifying the same touch twice: wait until GenImg says "no finger" (§1 code 02).
        while (await reader.Module.CaptureImageAsync(cancellationToken) == R30xCode.Ok)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, cancellationToken);
        }
    }
}
