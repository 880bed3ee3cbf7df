namespace Kiosk.Device.Linux.Gpio;

/// <summary>The kernel side of GPIO: /dev/gpiochipN files and the line fds the kernel hands back. Real code goes
/// through <see cref="LinuxGpioFiles"/>; tests put a fake here that records every ioctl number and struct byte,
/// because a GPIO chip cannot exist on a build machine (issue 3, "GPIO and I2C cannot exist here").</summary>
public interface IGpioFiles
{
    /// <summary>Paths of the chip devices present, e.g. /dev/gpiochip0 … /dev/gpiochip4.</summary>
    IReadOnlyList<string> ChipPaths();

    IGpioFile Open(string path);

    /// <summary>Wraps the fd that GPIO_V2_GET_LINE_IOCTL wrote into the request (hardware-protocols.md §5).</summary>
    IGpioFile Adopt(int fd, string description);
}

/// <summary>An open chip or line fd.</summary>
public interface IGpioFile : IDisposable
{
    string Path { get; }

    /// <summary>ioctl with a pointer to <paramref name="argument"/>; the kernel may write back into it.
    /// Throws <see cref="GpioException"/> carrying errno on failure.</summary>
    void Ioctl(uint request, Span<byte> argument);

    /// <summary>poll(POLLIN) on the fd; false when the timeout passed with nothing to read.</summary>
    bool WaitReadable(TimeSpan timeout);

    int Read(Span<byte> buffer);
}

/// <summary>A GPIO kernel call failed. The message names the file, the call and errno, so a log line is enough to
/// tell a missing `gpio` group (EACCES) from a line already taken by another program (EBUSY).</summary>
public sealed class GpioException : IOException
{
    public GpioException(string message)
        : base(message)
    {
    }

    public GpioException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public GpioException()
    {
    }

    public int Errno { get; init; }
}
