using System.Buffers.Binary;
using System.Text;
using Kiosk.Device.Linux.Gpio;

namespace Kiosk.Device.Tests.Gpio;

/// <summary>One ioctl as the kernel would have received it: which file, the request number, and the struct bytes
/// as they were when the call was made (copied, so later reuse of the buffer cannot change the record).</summary>
internal sealed record IoctlCall(string Path, uint Request, byte[] Argument);

/// <summary>A fake of /dev/gpiochipN for tests: chips with given labels, each GET_LINE answered with a new fd whose
/// file records SET_VALUES calls and serves queued 48-byte edge events. Records every ioctl byte for byte.</summary>
internal sealed class FakeGpio : IGpioFiles
{
    private readonly Dictionary<string, (string Label, uint Lines)> _chips = [];
    private readonly Dictionary<int, FakeLine> _lines = [];
    private int _nextFd = 40;

    public List<IoctlCall> Calls { get; } = [];

    public Exception? FailSetValues { get; set; }

    public FakeGpio WithChip(string path, string label, uint lines = 54)
    {
        _chips[path] = (label, lines);
        return this;
    }

    public IReadOnlyList<FakeLine> Lines => _lines.Values.ToList();

    public IReadOnlyList<IoctlCall> CallsFor(uint request) => Calls.Where(c => c.Request == request).ToList();

    public IReadOnlyList<string> ChipPaths() => _chips.Keys.Order(StringComparer.Ordinal).ToList();

    public IGpioFile Open(string path) => _chips.ContainsKey(path) ? new FakeChip(this, path) : throw new GpioException("no such chip " + path) { Errno = 2 };

    public IGpioFile Adopt(int fd, string description) => _lines[fd];

    internal sealed class FakeChip(FakeGpio owner, string path) : IGpioFile
    {
        public string Path => path;

        public void Ioctl(uint request, Span<byte> argument)
        {
            owner.Calls.Add(new IoctlCall(path, request, argument.ToArray()));
            if (request == 0x8044B401 && argument.Length == 68)
            {
                var (label, lines) = owner._chips[path];
                Encoding.ASCII.GetBytes(System.IO.Path.GetFileName(path)).CopyTo(argument);
                Encoding.ASCII.GetBytes(label).CopyTo(argument[32..]);
                BinaryPrimitives.WriteUInt32LittleEndian(argument[64..], lines);
            }
            else if (request == 0xC250B407 && argument.Length == 592)
            {
                var fd = owner._nextFd++;
                owner._lines[fd] = new FakeLine(owner, fd);
                BinaryPrimitives.WriteInt32LittleEndian(argument[588..], fd);
            }
            else
            {
                throw new GpioException($"unexpected ioctl 0x{request:X8} with {argument.Length} bytes on {path}") { Errno = 25 };
            }
        }

        public bool WaitReadable(TimeSpan timeout) => throw new InvalidOperationException("chip fds are not read");

        public int Read(Span<byte> buffer) => throw new InvalidOperationException("chip fds are not read");

        public void Dispose()
        {
        }
    }

    internal sealed class FakeLine(FakeGpio owner, int fd) : IGpioFile
    {
        private readonly Queue<byte[]> _reads = new();
        private readonly SemaphoreSlim _available = new(0);

        public int Fd => fd;

        public string Path => $"fake line fd {fd}";

        public bool Disposed { get; private set; }

        public List<(ulong Bits, ulong Mask)> Writes { get; } = [];

        /// <summary>Queues what one read() returns (one or several 48-byte events).</summary>
        public void QueueRead(byte[] bytes)
        {
            lock (_reads)
            {
                _reads.Enqueue(bytes);
            }

            _available.Release();
        }

        public void Ioctl(uint request, Span<byte> argument)
        {
            owner.Calls.Add(new IoctlCall(Path, request, argument.ToArray()));
            if (request != 0xC010B40F || argument.Length != 16)
            {
                throw new GpioException($"unexpected ioctl 0x{request:X8} on {Path}") { Errno = 25 };
            }

            if (owner.FailSetValues is { } failure)
            {
                throw failure;
            }

            Writes.Add((BinaryPrimitives.ReadUInt64LittleEndian(argument), BinaryPrimitives.ReadUInt64LittleEndian(argument[8..])));
        }

        public bool WaitReadable(TimeSpan timeout)
        {
            // Like poll(): wakes as soon as a read is queued, or returns false after the timeout.
            if (!_available.Wait(timeout))
            {
                return false;
            }

            _available.Release();
            return true;
        }

        public int Read(Span<byte> buffer)
        {
            _available.Wait();
            lock (_reads)
            {
                var bytes = _reads.Dequeue();
                bytes.CopyTo(buffer);
                return bytes.Length;
            }
        }

        public void Dispose() => Disposed = true;
    }

    /// <summary>A gpio_v2_line_event written out field by field from the kernel header (§5), independent of the
    /// production decoder.</summary>
    public static byte[] EdgeEventBytes(ulong timestampNs, uint id, uint offset, uint seqno, uint lineSeqno)
    {
        var bytes = new byte[48];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, timestampNs);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), id);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), offset);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), seqno);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), lineSeqno);
        return bytes;
    }
}
