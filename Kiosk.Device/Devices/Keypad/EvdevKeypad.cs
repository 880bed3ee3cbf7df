using System.Runtime.CompilerServices;
using Kiosk.Device.Linux.Input;

namespace Kiosk.Device.Devices.Keypad;

/// <summary>A USB numeric keypad read through evdev (hardware-protocols.md §4). Only key-down events count: a
/// release (0) or autorepeat (2) never produces a second key, so a held key does not scroll a menu by itself.</summary>
public sealed class EvdevKeypad(IInputEventSource source) : IKeypad
{
    public string Name => source.Name;

    public async IAsyncEnumerable<KeyPress> ReadKeysAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var inputEvent in source.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (inputEvent.IsKeyDown && KeyCodes.ToKeyPress(inputEvent.Code) is { } key)
            {
                yield return key;
            }
        }
    }

    public ValueTask DisposeAsync() => source.DisposeAsync();
}
