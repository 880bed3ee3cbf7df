using System.Text;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.Serial;

[Collection(SocatPty.Collection)]
public sealed class SerialPortTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Bytes_written_on_one_end_of_a_pty_pair_arrive_on_the_other_at_a_non_standard_baud()
    {
        await using var pty = await SocatPty.StartAsync();
        // 250000 has no legacy B-constant: only termios2 with BOTHER can set it (hardware-protocols.md §5).
        using var host = LinuxSerialPort.Open(pty.HostPath, 250000);
        using var device = LinuxSerialPort.Open(pty.DevicePath, 57600);

        var (input, output, raw) = host.ReadSettings();
        Assert.Equal(250000u, input);
        Assert.Equal(250000u, output);
        Assert.True(raw);

        var message = Encoding.ASCII.GetBytes("hello \x02\x03\x00\xFF kiosk");
        await host.WriteAsync(message, CancellationToken.None);
        var received = await ReadExactlyAsync(device, message.Length);
        Assert.Equal(message, received);
    }

    [Fact]
    public async Task A_read_with_nothing_to_read_returns_zero_after_its_timeout()
    {
        await using var pty = await SocatPty.StartAsync();
        using var host = LinuxSerialPort.Open(pty.HostPath, 9600);
        var buffer = new byte[16];
        Assert.Equal(0, await host.ReadAsync(buffer, TimeSpan.FromMilliseconds(150), CancellationToken.None));
    }

    [Fact]
    public async Task Discarding_input_drops_bytes_that_were_not_read_yet()
    {
        await using var pty = await SocatPty.StartAsync();
        using var host = LinuxSerialPort.Open(pty.HostPath, 9600);
        using var device = LinuxSerialPort.Open(pty.DevicePath, 9600);
        await device.WriteAsync("stale"u8.ToArray(), CancellationToken.None);
        await WaitUntilQueuedAsync(host, 5);
        host.DiscardInput();
        await device.WriteAsync("fresh"u8.ToArray(), CancellationToken.None);
        Assert.Equal("fresh"u8.ToArray(), await ReadExactlyAsync(host, 5));
    }

    [Fact]
    public async Task A_port_whose_other_end_disappears_reports_a_typed_gone_exception()
    {
        await using var pty = await SocatPty.StartAsync();
        using var host = LinuxSerialPort.Open(pty.HostPath, 9600);
        await pty.KillAsync();
        var buffer = new byte[16];
        var gone = await Assert.ThrowsAsync<SerialPortGoneException>(async () => await host.ReadAsync(buffer, Long, CancellationToken.None));
        Assert.Equal(pty.HostPath, gone.Port);
    }

    [Fact]
    public void Opening_a_missing_device_node_is_a_typed_gone_error_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-tty-" + Guid.NewGuid().ToString("N"));
        var gone = Assert.Throws<SerialPortGoneException>(() => LinuxSerialPort.Open(path, 9600));
        Assert.Contains(path, gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_file_that_is_not_a_tty_is_a_clear_error()
    {
        var path = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<IOException>(() => LinuxSerialPort.Open(path, 9600));
            Assert.Contains("not a tty", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task The_reopening_port_reports_the_unplug_and_carries_on_when_the_device_comes_back()
    {
        await using var pty = await SocatPty.StartAsync();
        using var port = ReopeningSerialPort.ForDevice(pty.HostPath, 9600, TimeProvider.System, firstBackoff: TimeSpan.FromMilliseconds(20), maxBackoff: TimeSpan.FromMilliseconds(100));
        var disconnected = new TaskCompletionSource<SerialPortGoneException>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        port.Disconnected += (_, e) => disconnected.TrySetResult(e);
        port.Reconnected += (_, _) => reconnected.TrySetResult();
        // Open before the device speaks: opening flushes the input queue (bytes from before raw mode and the
        // speed were set are noise, hardware-protocols.md §5), so "one" relayed by socat ahead of the open would
        // be dropped by design. This ordering, not luck, is what the test relies on.
        await port.WaitUntilOpenAsync(CancellationToken.None);

        using (var device = LinuxSerialPort.Open(pty.DevicePath, 9600))
        {
            await device.WriteAsync("one"u8.ToArray(), CancellationToken.None);
            Assert.Equal("one"u8.ToArray(), await ReadExactlyAsync(port, 3));
        }

        await pty.KillAsync();
        var buffer = new byte[8];
        // The read that finds the port gone returns nothing (not an exception) and raises Disconnected.
        Assert.Equal(0, await port.ReadAsync(buffer, Long, CancellationToken.None));
        await disconnected.Task.WaitAsync(Long);
        Assert.False(port.IsOpen);
        await Assert.ThrowsAsync<SerialPortGoneException>(async () => await port.WriteAsync("x"u8.ToArray(), CancellationToken.None));

        // The next read waits (with backoff) for the node; plug a new pair in on the same path meanwhile.
        var pending = ReadExactlyAsync(port, 3);
        await pty.RestartAsync();
        using var device2 = LinuxSerialPort.Open(pty.DevicePath, 9600);
        await reconnected.Task.WaitAsync(Long);
        await device2.WriteAsync("two"u8.ToArray(), CancellationToken.None);
        Assert.Equal("two"u8.ToArray(), await pending.WaitAsync(Long));
        Assert.Equal(1, port.Reconnections);
    }

    [Fact]
    public async Task An_in_memory_pair_carries_bytes_both_ways_and_times_out_like_a_port()
    {
        var pair = InMemorySerialPair.Create("sim");
        await pair.Host.WriteAsync("ping"u8.ToArray(), CancellationToken.None);
        Assert.Equal("ping"u8.ToArray(), await ReadExactlyAsync(pair.Device, 4));
        await pair.Device.WriteAsync("pong"u8.ToArray(), CancellationToken.None);
        Assert.Equal("pong"u8.ToArray(), await ReadExactlyAsync(pair.Host, 4));
        Assert.Equal(0, await pair.Host.ReadAsync(new byte[4], TimeSpan.FromMilliseconds(30), CancellationToken.None));
    }

    internal static async Task<byte[]> ReadExactlyAsync(ISerialTransport port, int count)
    {
        var result = new byte[count];
        var got = 0;
        while (got < count)
        {
            var n = await port.ReadAsync(result.AsMemory(got), Long, CancellationToken.None);
            if (n == 0)
            {
                throw new TimeoutException($"Only {got} of {count} bytes arrived.");
            }

            got += n;
        }

        return result;
    }

    private static async Task WaitUntilQueuedAsync(LinuxSerialPort port, int count)
    {
        // socat relays asynchronously: wait (bounded) until the kernel queue holds the bytes.
        using var timeout = new CancellationTokenSource(Long);
        while (port.BytesToRead < count)
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
