using System.Globalization;

namespace Kiosk.Device.Linux;

/// <summary>One open device node, owned: the few calls the GPIO and I2C interfaces make on it (open, ioctl by pointer
/// or by value, read, write, poll), each failure turned into the interface's own exception type carrying errno and
/// the path, and the fd closed exactly once. hardware-protocols.md §5.</summary>
internal sealed unsafe class LinuxFile : IDisposable
{
    private readonly Func<string, int, Exception> error;
    private int fd;

    private LinuxFile(int fd, string path, Func<string, int, Exception> error)
    {
        this.fd = fd;
        this.error = error;
        Path = path;
    }

    public string Path { get; }

    /// <summary>open(path, O_RDWR|O_CLOEXEC); <paramref name="hint"/> says what to check when it fails.</summary>
    public static LinuxFile Open(string path, Func<string, int, Exception> error, string hint)
    {
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Libc.LastError;
            throw error($"Cannot open {path}: {Libc.Describe(errno)} ({hint})", errno);
        }

        return new LinuxFile(fd, path, error);
    }

    /// <summary>Takes ownership of an fd the kernel handed out (e.g. a GPIO line request's fd).</summary>
    public static LinuxFile Adopt(int fd, string description, Func<string, int, Exception> error) => new(fd, description, error);

    public void Ioctl(uint request, Span<byte> argument)
    {
        fixed (byte* pointer = argument)
        {
            if (Libc.Ioctl(Live(), request, pointer) < 0)
            {
                Fail(string.Create(CultureInfo.InvariantCulture, $"ioctl 0x{request:X8}"));
            }
        }
    }

    public void IoctlValue(uint request, nint value)
    {
        if (Libc.IoctlValue(Live(), request, value) < 0)
        {
            Fail(string.Create(CultureInfo.InvariantCulture, $"ioctl 0x{request:X4}(0x{value:X2})"));
        }
    }

    public int Read(Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            var count = Libc.Read(Live(), pointer, buffer.Length);
            if (count < 0)
            {
                Fail("read");
            }

            return (int)count;
        }
    }

    public int Write(ReadOnlySpan<byte> data)
    {
        fixed (byte* pointer = data)
        {
            var count = Libc.Write(Live(), pointer, data.Length);
            if (count < 0)
            {
                Fail(string.Create(CultureInfo.InvariantCulture, $"write of {data.Length} bytes"));
            }

            return (int)count;
        }
    }

    /// <summary>poll(POLLIN): false when the timeout passed (or a signal interrupted it) with nothing to read.
    /// Hang-up or error on the fd is an exception: the line was released or the device is gone.</summary>
    public bool WaitReadable(TimeSpan timeout)
    {
        var poll = new Libc.PollFd { Fd = Live(), Events = Libc.POLLIN };
        var result = Libc.Poll(&poll, 1, (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue));
        if (result < 0)
        {
            if (Libc.LastError == Libc.EINTR)
            {
                return false;
            }

            Fail("poll");
        }

        if ((poll.Revents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0)
        {
            throw error(string.Create(CultureInfo.InvariantCulture, $"{Path} reported poll events 0x{poll.Revents:X} (released or gone)."), Libc.EIO);
        }

        return result > 0;
    }

    public void Dispose()
    {
        var open = Interlocked.Exchange(ref fd, -1);
        if (open >= 0)
        {
            _ = Libc.Close(open);
        }
    }

    private int Live() => fd >= 0 ? fd : throw new ObjectDisposedException(Path);

    private void Fail(string call)
    {
        var errno = Libc.LastError;
        throw error($"{call} on {Path} failed: {Libc.Describe(errno)}", errno);
    }
}
