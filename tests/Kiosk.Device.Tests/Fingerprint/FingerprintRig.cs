using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Emulators;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.Fingerprint;

/// <summary>The driver on one end of a socat pty pair, the R30x emulator on the other, at 57600.</summary>
internal sealed class FingerprintRig : IAsyncDisposable
{
    private FingerprintRig(SocatPty pty, R30xEmulator emulator, FingerprintReader reader)
    {
        Pty = pty;
        Emulator = emulator;
        Reader = reader;
    }

    public SocatPty Pty { get; }

    public R30xEmulator Emulator { get; }

    public FingerprintReader Reader { get; }

    public static async Task<FingerprintRig> StartAsync(R30xEmulatorOptions? emulatorOptions = null, R30xOptions? options = null)
    {
        var pty = await SocatPty.StartAsync();
        var emulator = new R30xEmulator(LinuxSerialPort.Open(pty.DevicePath, 57600), emulatorOptions);
        emulator.Start();
        var driverOptions = options ?? new R30xOptions
        {
            ReplyTimeout = TimeSpan.FromSeconds(2),
            FingerPollInterval = TimeSpan.FromMilliseconds(20),
        };
        var reader = new FingerprintReader(LinuxSerialPort.Open(pty.HostPath, 57600), driverOptions, TimeProvider.System);
        return new FingerprintRig(pty, emulator, reader);
    }

    public async ValueTask DisposeAsync()
    {
        await Reader.DisposeAsync();
        await Emulator.DisposeAsync();
        await Pty.DisposeAsync();
    }
}

/// <summary>IProgress that runs the callback synchronously (Progress&lt;T&gt; posts to the thread pool, which
/// would let the driver race ahead of the "finger lifted" the test performs).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public List<T> Seen { get; } = [];

    public void Report(T value)
    {
        Seen.Add(value);
        report(value);
    }
}
