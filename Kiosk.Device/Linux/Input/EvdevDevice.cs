using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Kiosk.Device.Linux.Input;

/// <summary>Opens an input device (prefer the stable /dev/input/by-id/usb-*-event-kbd name, §4), optionally grabs it
/// so the console stops seeing the keys, and hands back a reader over it. Needs the `input` group.</summary>
public sealed class EvdevDevice : IAsyncDisposable
{
    /// <summary>EVIOCGRAB = _IOW('E', 0x90, int); the argument is the integer itself: 1 grabs, 0 releases (§4).</summary>
    public const uint EviocGrab = 0x40044590;

    /// <summary>EVIOCGNAME(256) = 0x80004506 | 256 &lt;&lt; 16 (§4).</summary>
    public const uint EviocGName256 = 0x81004506;

    private const int Enotty = 25;
    private const int Ebusy = 16;
    private readonly FdReadStream _stream;

    private EvdevDevice(FdReadStream stream, string path, string name, bool grabbed, InputEventLayout layout)
    {
        _stream = stream;
        Path = path;
        Name = name;
        Grabbed = grabbed;
        Reader = new EvdevReader(stream, layout, ownsStream: false);
    }

    public string Path { get; }

    /// <summary>The device's own name (EVIOCGNAME), or the file name when it has none (a plain file in a test).</summary>
    public string Name { get; }

    public bool Grabbed { get; }

    public EvdevReader Reader { get; }

    public static unsafe EvdevDevice Open(string path, bool grab, InputEventLayout? layout = null)
    {
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Libc.LastError;
            throw new IOException($"Cannot open input device {path}: {Libc.Describe(errno)} (user in group 'input'? see /dev/input/by-id/)");
        }

        var stream = new FdReadStream(fd, path);
        try
        {
            var name = System.IO.Path.GetFileName(path);
            var buffer = new byte[256];
            fixed (byte* pointer = buffer)
            {
                var length = Libc.Ioctl(fd, EviocGName256, pointer);
                if (length > 0)
                {
                    var end = Array.IndexOf(buffer, (byte)0);
                    name = Encoding.UTF8.GetString(buffer, 0, end < 0 ? Math.Min(length, buffer.Length) : end);
                }
            }

            if (grab && Libc.IoctlValue(fd, EviocGrab, 1) < 0)
            {
                var errno = Libc.LastError;
                var why = errno switch
                {
                    Ebusy => "another program has grabbed it",
                    Enotty or 22 => "it is not an evdev input device",
                    _ => "the grab was refused",
                };
                throw new IOException(string.Create(CultureInfo.InvariantCulture, $"EVIOCGRAB on {path} failed: {why} ({Libc.Describe(errno)})."));
            }

            return new EvdevDevice(stream, path, name, grab, layout ?? InputEventLayout.Native);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Closing the fd releases the grab too; releasing explicitly first makes the console get keys back at once.
        if (Grabbed)
        {
            _stream.Ioctl(EviocGrab, 0);
        }

        await Reader.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>A read-only stream over a non-blocking fd that waits with poll() in short slices, so a cancelled read
/// returns within a slice (a plain blocking read on a keyboard would wait for the next key for ever).</summary>
/// <remarks>Asynchronous reads wait on this stream's one long-lived waiter thread, like <c>LinuxSerialPort</c>'s:
/// never on a pool thread (an idle keypad waits for hours, and waits parked on the pool starve it: the serial
/// port's "first VfyPwd gets no reply" came from exactly that), and not on a new thread per read either.</remarks>
internal sealed unsafe class FdReadStream(int fd, string path) : Stream
{
    private static readonly int SliceMs = 200;
    private readonly Lock _gate = new();
    private readonly BlockingCollection<PendingRead> _reads = new();
    private Thread? _waiter;
    private int _fd = fd;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void Ioctl(uint request, nint value)
    {
        if (_fd >= 0)
        {
            _ = Libc.IoctlValue(_fd, request, value);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => ReadCore(buffer, CancellationToken.None);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The reader's continuation runs on the pool, not on the waiter: key handling must not hold up the next wait.
        var pending = new PendingRead(buffer, cancellationToken, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_fd < 0, this);
            _reads.Add(pending, CancellationToken.None);
            if (_waiter is null)
            {
                _waiter = new Thread(WaitLoop) { IsBackground = true, Name = "evdev " + path };
                _waiter.Start();
            }
        }

        return new ValueTask<int>(pending.Done.Task);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            var fd = Interlocked.Exchange(ref _fd, -1);
            if (fd >= 0)
            {
                _ = Libc.Close(fd);
                // The waiter finishes the read in hand (it sees the closed fd within a slice) and the queued ones,
                // then ends.
                _reads.CompleteAdding();
                if (_waiter is null)
                {
                    _reads.Dispose();
                }
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>The waiter thread: serves reads one at a time, in order (a device has one event stream).</summary>
    private void WaitLoop()
    {
        foreach (var read in _reads.GetConsumingEnumerable())
        {
            try
            {
                read.Done.TrySetResult(ReadCore(read.Buffer.Span, read.Token));
            }
            catch (OperationCanceledException) when (read.Token.IsCancellationRequested)
            {
                read.Done.TrySetCanceled(read.Token);
            }
            catch (Exception ex)
            {
                // Handed to the reader as a direct call would have thrown it (IOException for an unplugged device,
                // ObjectDisposedException after Dispose); an exception must never end this thread.
                read.Done.TrySetException(ex);
            }
        }

        _reads.Dispose();
    }

    private int ReadCore(Span<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fd = _fd >= 0 ? _fd : throw new ObjectDisposedException(path);
            var poll = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
            var ready = Libc.Poll(&poll, 1, SliceMs);
            if (ready < 0 && Libc.LastError != Libc.EINTR)
            {
                throw new IOException($"poll on {path} failed: {Libc.Describe(Libc.LastError)}");
            }

            if (ready <= 0)
            {
                continue;
            }

            if ((poll.Revents & (Libc.POLLERR | Libc.POLLNVAL)) != 0 && (poll.Revents & Libc.POLLIN) == 0)
            {
                throw new IOException($"{path} reported poll events 0x{poll.Revents:X}: the device is gone.");
            }

            fixed (byte* pointer = buffer)
            {
                var count = Libc.Read(fd, pointer, buffer.Length);
                if (count >= 0)
                {
                    return (int)count;   // 0 = end of file (a pipe's writer closed, or the end of a recorded file)
                }

                var errno = Libc.LastError;
                if (errno is Libc.EAGAIN or Libc.EINTR)
                {
                    continue;
                }

                // ENODEV: the USB keypad or reader was unplugged (§4); the caller logs it and reopens.
                throw new IOException($"read on {path} failed: {Libc.Describe(errno)}");
            }
        }
    }

    private sealed record PendingRead(Memory<byte> Buffer, CancellationToken Token, TaskCompletionSource<int> Done);
}
