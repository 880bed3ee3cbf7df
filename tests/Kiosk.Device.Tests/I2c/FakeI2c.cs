using Kiosk.Device.Linux.I2c;

namespace Kiosk.Device.Tests.I2c;

/// <summary>A fake i2c-dev: records, in order, each ioctl (request, value) and each write's exact bytes.</summary>
internal sealed class FakeI2c : II2cFiles
{
    public List<string> Opened { get; } = [];

    /// <summary>Everything that happened, in order: ("ioctl", request, value, null) or ("write", 0, 0, bytes).</summary>
    public List<(string Kind, uint Request, nint Value, byte[]? Bytes)> Log { get; } = [];

    public IReadOnlyList<byte[]> Writes => Log.Where(e => e.Kind == "write").Select(e => e.Bytes!).ToList();

    /// <summary>When set, write() fails with this errno (121 = EREMOTEIO: no acknowledge).</summary>
    public int? FailWithErrno { get; set; }

    /// <summary>When set, write() accepts only this many bytes.</summary>
    public int? ShortWrite { get; set; }

    public II2cFile Open(string path)
    {
        Opened.Add(path);
        return new File(this, path);
    }

    private sealed class File(FakeI2c owner, string path) : II2cFile
    {
        public string Path => path;

        public void IoctlValue(uint request, nint value) => owner.Log.Add(("ioctl", request, value, null));

        public int Write(ReadOnlySpan<byte> data)
        {
            if (owner.FailWithErrno is { } errno)
            {
                throw new I2cException($"write failed errno {errno}") { Errno = errno };
            }

            owner.Log.Add(("write", 0, 0, data.ToArray()));
            return owner.ShortWrite ?? data.Length;
        }

        public void Dispose()
        {
        }
    }
}
