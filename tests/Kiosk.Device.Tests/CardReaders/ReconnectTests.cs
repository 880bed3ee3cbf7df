using Kiosk.Device.Emulators;
using Kiosk.Device.Devices.Pn532;
using Kiosk.Device.Devices.Rdm6300;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.CardReaders;

/// <summary>A reader unplugged while running and plugged back in (socat killed, a new pair on the same path).</summary>
[Collection(SocatPty.Collection)]
public sealed class ReconnectTests
{
    [Fact]
    public async Task An_rdm6300_that_disappears_and_comes_back_reads_cards_again()
    {
        await using var pty = await SocatPty.StartAsync();
        var log = new ListLogger();
        var port = ReopeningSerialPort.ForDevice(pty.HostPath, 9600, TimeProvider.System, log, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100));
        await using var reader = new Rdm6300Reader(port, new Rdm6300Options(), TimeProvider.System, log);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var cards = reader.ReadCardsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Disconnected += (_, _) => disconnected.TrySetResult();
        port.Reconnected += (_, _) => reconnected.TrySetResult();

        using (var emulator = new Rdm6300Emulator(LinuxSerialPort.Open(pty.DevicePath, 9600), TimeProvider.System))
        {
            var first = cards.MoveNextAsync().AsTask();
            await port.WaitUntilOpenAsync(cts.Token);
            await emulator.PresentAsync("0A0018C3F2", cts.Token);
            Assert.True(await first);
        }

        var next = cards.MoveNextAsync().AsTask();
        await pty.KillAsync();
        await disconnected.Task.WaitAsync(cts.Token);
        await pty.RestartAsync(cts.Token);
        await reconnected.Task.WaitAsync(cts.Token);
        using var plugged = new Rdm6300Emulator(LinuxSerialPort.Open(pty.DevicePath, 9600), TimeProvider.System);
        await plugged.PresentAsync("1100BC614E", cts.Token);

        Assert.True(await next);
        Assert.Equal("1100BC614E", cards.Current.CardId);
        Assert.Contains(log.Warnings, w => w.Contains("disappeared", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pn532_that_disappears_is_woken_and_configured_again_when_it_comes_back()
    {
        await using var pty = await SocatPty.StartAsync();
        var port = ReopeningSerialPort.ForDevice(pty.HostPath, 115200, TimeProvider.System, firstBackoff: TimeSpan.FromMilliseconds(20), maxBackoff: TimeSpan.FromMilliseconds(100));
        var options = new Pn532Options { PollInterval = TimeSpan.FromMilliseconds(10), AckTimeout = TimeSpan.FromSeconds(2), ResponseTimeout = TimeSpan.FromSeconds(2) };
        await using var reader = new Pn532Reader(port, options, TimeProvider.System);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var cards = reader.ReadCardsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Disconnected += (_, _) => disconnected.TrySetResult();

        await using (var emulator = new Pn532Emulator(LinuxSerialPort.Open(pty.DevicePath, 115200)))
        {
            emulator.Start();
            emulator.PresentCard([1, 2, 3, 4]);
            Assert.True(await cards.MoveNextAsync());
            Assert.Equal("01020304", cards.Current.CardId);
        }

        var next = cards.MoveNextAsync().AsTask();
        await pty.KillAsync();
        await disconnected.Task.WaitAsync(cts.Token);
        await pty.RestartAsync(cts.Token);
        // A fresh chip: asleep until the driver wakes it again.
        await using var replugged = new Pn532Emulator(LinuxSerialPort.Open(pty.DevicePath, 115200));
        replugged.Start();
        replugged.PresentCard([5, 6, 7, 8]);

        Assert.True(await next);
        Assert.Equal("05060708", cards.Current.CardId);
        Assert.True(replugged.Awake);
        Assert.True(replugged.SamConfigured);
    }
}
