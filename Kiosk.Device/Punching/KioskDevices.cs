using Kiosk.Device.Devices;

namespace Kiosk.Device.Punching;

/// <summary>The hardware the punch flow and secretary mode talk to, real or emulated (DeviceContracts.cs).</summary>
internal sealed record KioskDevices(
    IReadOnlyList<ICardReader> CardReaders,
    IFingerprintReader? Fingerprint,
    IDisplay Display,
    IKeypad? Keypad,
    ISignal Signal) : IAsyncDisposable
{
    /// <summary>Extra things to dispose with the devices (emulators, serial pairs).</summary>
    public IReadOnlyList<IAsyncDisposable> Owned { get; init; } = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var reader in CardReaders)
        {
            await reader.DisposeAsync();
        }

        if (Fingerprint is not null)
        {
            await Fingerprint.DisposeAsync();
        }

        if (Keypad is not null)
        {
            await Keypad.DisposeAsync();
        }

        foreach (var owned in Owned)
        {
            await owned.DisposeAsync();
        }
    }
}
