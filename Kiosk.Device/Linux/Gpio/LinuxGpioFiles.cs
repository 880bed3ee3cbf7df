using System.Globalization;

namespace Kiosk.Device.Linux.Gpio;

/// <summary>The real /dev/gpiochipN access through libc (hardware-protocols.md §5: open O_RDWR|O_CLOEXEC, ioctl with a
/// struct pointer, read 48-byte events from the line fd).</summary>
public sealed class LinuxGpioFiles : IGpioFiles
{
    public IReadOnlyList<string> ChipPaths()
    {
        if (!Directory.Exists("/dev"))
        {
            return [];
        }

        // Sorted by chip number so "gpiochip10" comes after "gpiochip4", and the first match by label wins.
        return Directory.GetFiles("/dev", "gpiochip*")
            .Select(path => (path, number: int.TryParse(Path.GetFileName(path)["gpiochip".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue))
            .OrderBy(entry => entry.number)
            .Select(entry => entry.path)
            .ToList();
    }

    public IGpioFile Open(string path)
    {
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Libc.LastError;
            throw new GpioException($"Cannot open {path}: {Libc.Describe(errno)} (is the user in the 'gpio' group?)") { Errno = errno };
        }

        return new FdFile(fd, path);
    }

    public IGpioFile Adopt(int fd, string description) => new FdFile(fd, description);

    private sealed unsafe class FdFile(int fd, string path) : IGpioFile
    {
        private int _fd = fd;

        public string Path { get; } = path;

        public void Ioctl(uint request, Span<byte> argument)
        {
            fixed (byte* pointer = argument)
            {
                if (Libc.Ioctl(Live(), request, pointer) < 0)
                {
                    var errno = Libc.LastError;
                    throw new GpioException($"ioctl 0x{request:X8} on {Path} failed: {Libc.Describe(errno)}") { Errno = errno };
                }
            }
        }

        public bool WaitReadable(TimeSpan timeout)
        {
            var poll = new Libc.PollFd { Fd = Live(), Events = Libc.POLLIN };
            var result = Libc.Poll(&poll, 1, (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue));
            if (result < 0)
            {
                var errno = Libc.LastError;
                if (errno == Libc.EINTR)
                {
                    return false;
                }

                throw new GpioException($"poll on {Path} failed: {Libc.Describe(errno)}") { Errno = errno };
            }

            if ((poll.Revents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0)
            {
                throw new GpioException($"{Path} reported poll events 0x{poll.Revents:X} (line released or chip gone).");
            }

            return result > 0;
        }

        public int Read(Span<byte> buffer)
        {
            fixed (byte* pointer = buffer)
            {
                var count = Libc.Read(Live(), pointer, buffer.Length);
                if (count < 0)
                {
                    var errno = Libc.LastError;
                    throw new GpioException($"read on {Path} failed: {Libc.Describe(errno)}") { Errno = errno };
                }

                return (int)count;
            }
        }

        public void Dispose()
        {
            var fd = Interlocked.Exchange(ref _fd, -1);
            if (fd >= 0)
            {
                _ = Libc.Close(fd);
            }
        }

        private int Live() => _fd >= 0 ? _fd : throw new ObjectDisposedException(Path);
    }
}
