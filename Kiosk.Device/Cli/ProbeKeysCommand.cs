using System.CommandLine;
using System.Globalization;
using Kiosk.Device.Linux.Input;

namespace Kiosk.Device.Cli;

/// <summary>`kiosk probe keys --device /dev/input/by-id/usb-…-event-kbd`: prints each key event of a USB keypad or
/// keyboard-wedge card reader with its code, name and meaning, to check the device and find its stable name.</summary>
internal static class ProbeKeysCommand
{
    public static Command Build()
    {
        var device = new Option<string>("--device") { Description = "input device, preferably /dev/input/by-id/usb-*-event-kbd", Required = true };
        var noGrab = new Option<bool>("--no-grab") { Description = "do not take the device exclusively (EVIOCGRAB); the console keeps the keys" };
        var layout = new Option<int>("--layout") { Description = "struct input_event layout: 64 (24 bytes) or 32 (16 bytes); default this process's", DefaultValueFactory = _ => IntPtr.Size * 8 };
        layout.AcceptOnlyFromAmong("64", "32");
        var count = new Option<int>("--count") { Description = "stop after this many key presses (0 = until Ctrl+C or the device ends)", DefaultValueFactory = _ => 0 };
        var command = new Command("keys", "按键测试 · print key events from a USB keypad or card reader (evdev)");
        command.Options.Add(device);
        command.Options.Add(noGrab);
        command.Options.Add(layout);
        command.Options.Add(count);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var path = parseResult.GetValue(device)!;
            var limit = parseResult.GetValue(count);
            var eventLayout = parseResult.GetValue(layout) == 32 ? InputEventLayout.Bits32 : InputEventLayout.Bits64;
            try
            {
                var input = EvdevDevice.Open(path, grab: !parseResult.GetValue(noGrab), eventLayout);
                await using (input.ConfigureAwait(false))
                {
                    await output.WriteLineAsync($"device: {input.Name} ({path}), grabbed: {input.Grabbed}, event size {eventLayout.Size} bytes").ConfigureAwait(false);
                    var presses = 0;
                    var typed = new System.Text.StringBuilder();
                    await foreach (var inputEvent in input.Reader.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (inputEvent.Type != InputEvent.EvKey)
                        {
                            continue;
                        }

                        var state = inputEvent.Value switch { 1 => "down", 0 => "up", 2 => "repeat", _ => inputEvent.Value.ToString(CultureInfo.InvariantCulture) };
                        var meaning = KeyCodes.ToKeyPress(inputEvent.Code) is { } key ? (key.Digit != '\0' ? $"{key.Kind} {key.Digit}" : key.Kind.ToString()) : "-";
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"key {inputEvent.Code,3} {KeyCodes.Name(inputEvent.Code),-10} {state,-6} → {meaning}")).ConfigureAwait(false);
                        if (!inputEvent.IsKeyDown)
                        {
                            continue;
                        }

                        if (KeyCodes.IsEnter(inputEvent.Code))
                        {
                            await output.WriteLineAsync($"typed: {typed}").ConfigureAwait(false);
                            typed.Clear();
                        }
                        else if (KeyCodes.TryGetChar(inputEvent.Code, out var character))
                        {
                            typed.Append(character);
                        }

                        if (++presses == limit)
                        {
                            break;
                        }
                    }
                }

                return 0;
            }
            catch (IOException ex)
            {
                await error.WriteLineAsync($"keys probe failed: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }
}
