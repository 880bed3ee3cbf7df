using System.Buffers.Binary;
using System.Globalization;

namespace Kiosk.Device.Linux.Gpio;

/// <summary>A GPIO chip in memory for `--simulate` and the probe's `--simulate`: it decodes the same v2 request and
/// value structs the kernel would (hardware-protocols.md §5) and reports each line change, so the buzzer and LED
/// patterns can be watched on a machine without a header. Outputs only: nothing presses a simulated button, so an
/// input line never reports an edge and a watch on it waits out its time.</summary>
public sealed class SimulatedGpio : IGpioFiles
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, LineFile> _lines = [];
    private readonly Dictionary<int, bool> _levels = [];
    private int _nextFd = 100;

    public SimulatedGpio(string label = "pinctrl-bcm2711", uint lines = 58)
    {
        Label = label;
        LineCount = lines;
    }

    /// <summary>Raised after a SET_VALUES (or an output request) with each chip offset and its new level.</summary>
    public event Action<IReadOnlyList<(int Offset, bool Level)>>? LinesChanged;

    public string Label { get; }

    public uint LineCount { get; }

    public bool Level(int offset)
    {
        lock (_gate)
        {
            return _levels.TryGetValue(offset, out var level) && level;
        }
    }

    public IReadOnlyList<string> ChipPaths() => ["/dev/gpiochip0"];

    public IGpioFile Open(string path) => path == "/dev/gpiochip0"
        ? new ChipFile(this, path)
        : throw new GpioException($"Cannot open {path}: no such simulated chip.") { Errno = 2 };

    public IGpioFile Adopt(int fd, string description)
    {
        lock (_gate)
        {
            return _lines.TryGetValue(fd, out var line) ? line : throw new GpioException($"fd {fd} is not a simulated line.");
        }
    }

    private void Apply(int[] offsets, ulong bits, ulong mask)
    {
        var changed = new List<(int, bool)>();
        lock (_gate)
        {
            for (var i = 0; i < offsets.Length; i++)
            {
                if ((mask & (1UL << i)) != 0)
                {
                    var level = (bits & (1UL << i)) != 0;
                    _levels[offsets[i]] = level;
                    changed.Add((offsets[i], level));
                }
            }
        }

        if (changed.Count > 0)
        {
            LinesChanged?.Invoke(changed);
        }
    }

    private sealed class ChipFile(SimulatedGpio chip, string path) : IGpioFile
    {
        public string Path { get; } = path;

        public void Ioctl(uint request, Span<byte> argument)
        {
            switch (request)
            {
                case GpioV2Abi.GetChipInfoIoctl:
                    argument.Clear();
                    "gpiochip0"u8.CopyTo(argument);
                    System.Text.Encoding.UTF8.GetBytes(chip.Label).CopyTo(argument[32..]);
                    BinaryPrimitives.WriteUInt32LittleEndian(argument[64..], chip.LineCount);
                    break;
                case GpioV2Abi.GetLineIoctl:
                    RequestLines(argument);
                    break;
                default:
                    throw new GpioException(string.Create(CultureInfo.InvariantCulture, $"ioctl 0x{request:X8} not supported on {Path}.")) { Errno = 25 };
            }
        }

        public bool WaitReadable(TimeSpan timeout) => false;

        public int Read(Span<byte> buffer) => 0;

        public void Dispose()
        {
        }

        private void RequestLines(Span<byte> argument)
        {
            var count = BinaryPrimitives.ReadInt32LittleEndian(argument[GpioV2Abi.NumLinesOffset..]);
            var offsets = new int[count];
            for (var i = 0; i < count; i++)
            {
                offsets[i] = BinaryPrimitives.ReadInt32LittleEndian(argument[(i * 4)..]);
            }

            LineFile line;
            lock (chip._gate)
            {
                line = new LineFile(chip, chip._nextFd++, offsets);
                chip._lines[line.Fd] = line;
            }

            BinaryPrimitives.WriteInt32LittleEndian(argument[GpioV2Abi.FdOffset..], line.Fd);
            var attributes = BinaryPrimitives.ReadInt32LittleEndian(argument[GpioV2Abi.ConfigNumAttrsOffset..]);
            for (var i = 0; i < attributes; i++)
            {
                var at = argument[(GpioV2Abi.ConfigAttrsOffset + (i * GpioV2Abi.AttributeSize))..];
                if (BinaryPrimitives.ReadUInt32LittleEndian(at) == GpioV2Abi.AttrOutputValues)
                {
                    chip.Apply(offsets, BinaryPrimitives.ReadUInt64LittleEndian(at[8..]), BinaryPrimitives.ReadUInt64LittleEndian(at[16..]));
                }
            }
        }
    }

    private sealed class LineFile(SimulatedGpio chip, int fd, int[] offsets) : IGpioFile
    {
        private readonly ManualResetEventSlim _closed = new();

        public int Fd { get; } = fd;

        public string Path => string.Create(CultureInfo.InvariantCulture, $"simulated line fd {Fd}");

        public void Ioctl(uint request, Span<byte> argument)
        {
            if (request != GpioV2Abi.LineSetValuesIoctl)
            {
                throw new GpioException(string.Create(CultureInfo.InvariantCulture, $"ioctl 0x{request:X8} not supported on {Path}.")) { Errno = 25 };
            }

            chip.Apply(offsets, BinaryPrimitives.ReadUInt64LittleEndian(argument), BinaryPrimitives.ReadUInt64LittleEndian(argument[8..]));
        }

        /// <summary>No edge ever comes: block for the timeout like poll(2) on a quiet line (a caller polling in
        /// slices must not spin), or until the line is closed.</summary>
        public bool WaitReadable(TimeSpan timeout)
        {
            _closed.Wait(timeout);
            return false;
        }

        public int Read(Span<byte> buffer) => 0;

        public void Dispose()
        {
            lock (chip._gate)
            {
                chip._lines.Remove(Fd);
            }

            _closed.Set();
        }
    }
}
