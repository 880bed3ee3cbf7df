using System.Diagnostics;
using Kiosk.Device.Devices.Rdm6300;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Drivers.Bench;

/// <summary>Last byte of a frame written into one end of a socat pty pair → CardPresented out of the driver
/// on the other end. Two cards alternate so every frame is a new presentation.</summary>
internal static class CardLatency
{
    public static async Task<Percentiles> MeasureAsync(int frames)
    {
        await using var pty = await SocatPty.StartAsync();
        using var device = LinuxSerialPort.Open(pty.DevicePath, 9600);
        await using var reader = new Rdm6300Reader(LinuxSerialPort.Open(pty.HostPath, 9600), new Rdm6300Options(), TimeProvider.System);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await using var cards = reader.ReadCardsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        byte[][] encoded =
        [
            Rdm6300FrameParser.Encode(Convert.FromHexString("0A0018C3F2")),
            Rdm6300FrameParser.Encode(Convert.FromHexString("1100BC614E")),
        ];
        var samples = new List<long>(frames);
        for (var i = -50; i < frames; i++)
        {
            // The wait starts first, as in the kiosk where the driver is always listening.
            var next = cards.MoveNextAsync();
            // Stamped just before write(2): the reader may finish before write returns to us, so stamping after
            // would under-measure. This includes the 14-byte write syscall (a conservative upper bound).
            var written = Stopwatch.GetTimestamp();
            await device.WriteAsync(encoded[(i + 50) % 2], cts.Token);
            if (!await next)
            {
                throw new InvalidOperationException("The reader stopped.");
            }

            if (i >= 0)
            {
                samples.Add(Stopwatch.GetTimestamp() - written);
            }
        }

        return Percentiles.Of(samples);
    }
}
