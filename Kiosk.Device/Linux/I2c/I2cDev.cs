using System.Globalization;

namespace Kiosk.Device.Linux.I2c;

/// <summary>One device on an I2C bus, as a driver sees it (SSD1306 writes control byte + payload).</summary>
public interface II2cDevice : IDisposable
{
    /// <summary>One I2C write transaction: START, address+W, the bytes, STOP.</summary>
    void Write(ReadOnlySpan<byte> data);
}

/// <summary>The kernel side of i2c-dev: open /dev/i2c-N, ioctl with an integer argument, write(). Faked in tests,
/// where the fake records the ioctl (0x0703, address) and every write byte for byte.</summary>
public interface II2cFiles
{
    II2cFile Open(string path);
}

public interface II2cFile : IDisposable
{
    string Path { get; }

    /// <summary>ioctl with the argument passed by value (I2C_SLAVE takes the address itself, not a pointer).</summary>
    void IoctlValue(uint request, nint value);

    /// <summary>write(); returns the count the kernel accepted.</summary>
    int Write(ReadOnlySpan<byte> data);
}

/// <summary>An I2C call failed; the message names the bus, address and errno.</summary>
public sealed class I2cException : IOException
{
    public I2cException(string message)
        : base(message)
    {
    }

    public I2cException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public I2cException()
    {
    }

    public int Errno { get; init; }
}

/// <summary>A device on /dev/i2c-N through i2c-dev (hardware-protocols.md §5 "I2C": ioctl(fd, I2C_SLAVE 0x0703,
/// addr) with the address by value, then plain write()).</summary>
public sealed class I2cDevDevice : II2cDevice
{
    public const uint I2cSlave = 0x0703;
    public const uint I2cSlaveForce = 0x0706;

    /// <summary>The i2c-dev driver caps one write (hardware-protocols.md §5 says 8192 bytes, unverified), so larger
    /// writes are refused here rather than silently cut.</summary>
    public const int MaxWrite = 8192;

    // EREMOTEIO: nobody acknowledged the address (wrong address, unplugged, no power).
    private const int Eremoteio = 121;

    private readonly II2cFile _file;

    public I2cDevDevice(II2cFiles files, string busPath, int address, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (address is < 0x03 or > 0x77)
        {
            throw new ArgumentOutOfRangeException(nameof(address), address, "7-bit I2C addresses run from 0x03 to 0x77 (a printed 0x78 is 0x3C<<1).");
        }

        Address = address;
        _file = files.Open(busPath);
        try
        {
            // I2C_SLAVE_FORCE only when a kernel driver owns the address (§5).
            _file.IoctlValue(force ? I2cSlaveForce : I2cSlave, address);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    public int Address { get; }

    public string Description => string.Create(CultureInfo.InvariantCulture, $"{_file.Path} address 0x{Address:X2}");

    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxWrite)
        {
            throw new ArgumentException($"One i2c-dev write is at most {MaxWrite} bytes, got {data.Length}.", nameof(data));
        }

        int written;
        try
        {
            written = _file.Write(data);
        }
        catch (I2cException ex) when (ex.Errno == Eremoteio)
        {
            throw new I2cException($"No device acknowledged {Description}: check wiring (SDA pin 3, SCL pin 5), power and address.", ex) { Errno = ex.Errno };
        }

        if (written != data.Length)
        {
            throw new I2cException(string.Create(CultureInfo.InvariantCulture, $"Short write to {Description}: {written} of {data.Length} bytes."));
        }
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>The real i2c-dev files through libc.</summary>
public sealed class LinuxI2cFiles : II2cFiles
{
    public II2cFile Open(string path) =>
        new File(LinuxFile.Open(path, (message, errno) => new I2cException(message) { Errno = errno },
            "enable I2C with raspi-config; user in group 'i2c'?"));

    private sealed class File(LinuxFile file) : II2cFile
    {
        public string Path => file.Path;

        public void IoctlValue(uint request, nint value) => file.IoctlValue(request, value);

        public int Write(ReadOnlySpan<byte> data) => file.Write(data);

        public void Dispose() => file.Dispose();
    }
}
