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

    public IGpioFile Open(string path) =>
        new File(LinuxFile.Open(path, Error, "is the user in the 'gpio' group?"));

    public IGpioFile Adopt(int fd, string description) => new File(LinuxFile.Adopt(fd, description, Error));

    private static GpioException Error(string message, int errno) => new(message) { Errno = errno };

    private sealed class File(LinuxFile file) : IGpioFile
    {
        public string Path => file.Path;

        public void Ioctl(uint request, Span<byte> argument) => file.Ioctl(request, argument);

        public bool WaitReadable(TimeSpan timeout) => file.WaitReadable(timeout);

        public int Read(Span<byte> buffer) => file.Read(buffer);

        public void Dispose() => file.Dispose();
    }
}
