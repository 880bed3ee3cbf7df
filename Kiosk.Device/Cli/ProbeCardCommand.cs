using System.CommandLine;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.Pn532;
using Kiosk.Device.Devices.Rdm6300;
using Kiosk.Device.Linux.Serial;

namespace Kiosk.Device.Cli;

/// <summary>`probe card --type rdm6300|pn532 --port …`: prints each card id as it is presented, in the office's
/// badge format, until Ctrl+C (issue 3, "Probe commands").</summary>
internal static class ProbeCardCommand
{
    public static Command Build()
    {
        var type = new Option<string>("--type") { Description = "读卡器类型 · reader type: rdm6300 or pn532", Required = true };
        type.AcceptOnlyFromAmong("rdm6300", "pn532");
        var port = new Option<string>("--port") { Description = "串口 · serial device, e.g. /dev/serial0 or /dev/ttyUSB0", Required = true };
        var baud = new Option<int?>("--baud") { Description = "波特率 · baud rate (default 9600 for rdm6300, 115200 for pn532)" };
        var format = new Option<CardIdFormat>("--format") { Description = "卡号格式 · badge number format: Hex or Decimal10", DefaultValueFactory = _ => CardIdFormat.Hex };
        var command = new Command("card", "检查读卡器 · print card ids as cards are presented, until Ctrl+C") { type, port, baud, format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var kind = parseResult.GetValue(type)!;
            var path = parseResult.GetValue(port)!;
            var rate = parseResult.GetValue(baud) ?? (kind == "pn532" ? Pn532Options.BaudRate : Rdm6300Options.BaudRate);
            ISerialTransport transport;
            try
            {
                transport = LinuxSerialPort.Open(path, rate);
            }
            catch (IOException ex)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync($"无法打开串口 · cannot open {path}: {ex.Message}");
                return 2;
            }

            await using ICardReader reader = kind == "pn532"
                ? new Pn532Reader(transport, new Pn532Options(parseResult.GetValue(format)), TimeProvider.System)
                : new Rdm6300Reader(transport, new Rdm6300Options(parseResult.GetValue(format)), TimeProvider.System);
            return await RunAsync(reader, parseResult.InvocationConfiguration.Output, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(ICardReader reader, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"{reader.Name}: 请刷卡 · present a card (Ctrl+C to stop)");
        try
        {
            if (reader is Pn532Reader pn532)
            {
                if (!await pn532.InitializeAsync(cancellationToken))
                {
                    await output.WriteLineAsync("PN532 无应答 · the PN532 did not answer (check HSU mode: I0 and I1 low, TX/RX crossed)");
                    return 1;
                }

                await output.WriteLineAsync($"{pn532.Firmware}");
            }

            await foreach (var card in reader.ReadCardsAsync(cancellationToken))
            {
                await output.WriteLineAsync($"卡号 card {card.CardId}");
            }
        }
        catch (OperationCanceledException)
        {
        }

        var stats = reader switch
        {
            Rdm6300Reader r => r.Statistics.ToString(),
            Pn532Reader p => p.Statistics.ToString(),
            _ => string.Empty,
        };
        await output.WriteLineAsync($"frames: {stats}");
        return 0;
    }
}
