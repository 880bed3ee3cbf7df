using Kiosk.Device.Linux.Input;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.Input;

public sealed class ReopeningSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kiosk-evdev-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Waits for the background reader to reach a state; bounded, and not a stand-in for the clock under test.
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task A_device_that_is_missing_at_first_is_opened_when_it_appears()
    {
        var path = Path.Combine(_dir, "usb-reader-event-kbd");
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var source = new ReopeningEvdevSource(path, grab: false, time, layout: InputEventLayout.Bits64);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var downs = new List<ushort>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in source.ReadEventsAsync(cts.Token))
            {
                if (e.IsKeyDown)
                {
                    downs.Add(e.Code);
                    if (downs.Count == 3)
                    {
                        return;
                    }
                }
            }
        });

        await WaitUntilAsync(() => source.Failures == 1 && time.ActiveTimers == 1);
        Assert.Empty(downs);

        await File.WriteAllBytesAsync(path, EventBytes.Typed64("42\n"));
        time.Advance(ReopeningEvdevSource.RetryDelay);
        await reading.WaitAsync(cts.Token);

        Assert.Equal([5, 3, 28], downs);
        Assert.Equal(1, source.Failures);
    }
}
