using System.Collections.Concurrent;
using System.Globalization;

namespace Kiosk.Device.Linux.Serial;

/// <summary>A tty opened raw 8N1 over termios2 (hardware-protocols.md §5 "Serial"). Reads wait in poll() so a
/// timeout or an unplug is seen without blocking a thread forever; the fd is non-blocking.</summary>
/// <remarks>A read that has to wait does its poll() on this port's own waiter thread, never on a thread-pool
/// thread. Waiting on pool threads starved the pool whenever several readers idled at once (card reader, finger
/// module, emulators; the pool starts with one thread per core and adds more only slowly), so a reply that had
/// arrived was not read until the driver's timeout: "the first VfyPwd after open gets no reply".</remarks>
public sealed unsafe class LinuxSerialPort : ISerialTransport
{
    // poll() slice: how often a waiting read notices cancellation. Data wakes poll at once, so this does not
    // add latency; it only bounds how long a cancelled read lingers.
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);

    private readonly object _gate = new();
    private readonly BlockingCollection<PendingRead> _reads = new();
    private Thread? _waiter;
    private int _fd;

    private LinuxSerialPort(string name, int fd, int baud)
    {
        Name = name;
        _fd = fd;
        BaudRate = baud;
    }

    public string Name { get; }

    public int BaudRate { get; }

    /// <summary>Opens <paramref name="path"/> O_RDWR|O_NOCTTY|O_CLOEXEC|O_NONBLOCK and sets raw 8N1 at
    /// <paramref name="baud"/> (any number, via BOTHER). A missing node or a node that refuses termios is a
    /// <see cref="SerialPortGoneException"/> or <see cref="IOException"/> naming the path and errno.</summary>
    public static LinuxSerialPort Open(string path, int baud)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(baud);
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC | Libc.O_NONBLOCK);
        if (fd < 0)
        {
            var errno = Libc.LastError;
            // ENOENT 2 / ENXIO / ENODEV: the reader is not there (yet); the reopening wrapper keeps trying.
            if (errno is 2 or Libc.ENXIO or Libc.ENODEV)
            {
                throw new SerialPortGoneException(path, "open: " + Libc.Describe(errno));
            }

            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"Cannot open serial port {path}: {Libc.Describe(errno)} (is the user in group dialout?)"));
        }

        try
        {
            Configure(fd, path, baud);
        }
        catch
        {
            Libc.Close(fd);
            throw;
        }

        return new LinuxSerialPort(path, fd, baud);
    }

    /// <summary>Reads the termios2 back, for probes and tests (speed and whether raw 8N1 stuck).</summary>
    public (uint InputSpeed, uint OutputSpeed, bool Raw8N1) ReadSettings()
    {
        Termios2 tio;
        if (Libc.Ioctl(Fd, Termios2.TCGETS2, &tio) != 0)
        {
            throw new IOException($"TCGETS2 on {Name} failed: {Libc.Describe(Libc.LastError)}");
        }

        return (tio.InputSpeed, tio.OutputSpeed, tio.IsRaw8N1);
    }

    public ValueTask<int> ReadAsync(Memory<byte> buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Try without waiting first: when bytes are already queued this avoids a thread hop.
        var immediate = TryReadNow(buffer.Span);
        if (immediate > 0)
        {
            return ValueTask.FromResult(immediate);
        }

        // No RunContinuationsAsynchronously: the reader's continuation (parse, answer) runs on the waiter thread
        // until its next await, so serial traffic needs no pool thread at all; GPIO and evdev readers still poll
        // on pool threads and can starve it. Nothing may block synchronously on a read of the same port.
        var pending = new PendingRead(buffer, timeout, cancellationToken, new TaskCompletionSource<int>());
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_fd < 0, this);
            _reads.Add(pending, CancellationToken.None);
            if (_waiter is null)
            {
                _waiter = new Thread(WaitLoop) { IsBackground = true, Name = "serial " + Name };
                _waiter.Start();
            }
        }

        return new ValueTask<int>(pending.Done.Task);
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var span = data.Span;
        var written = 0;
        while (written < span.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            nint n;
            fixed (byte* p = span[written..])
            {
                n = Libc.Write(Fd, p, span.Length - written);
            }

            if (n > 0)
            {
                written += (int)n;
                continue;
            }

            var errno = Libc.LastError;
            if (errno == Libc.EINTR)
            {
                continue;
            }

            if (errno == Libc.EAGAIN)
            {
                WaitFor(Libc.POLLOUT, 100);
                continue;
            }

            throw Gone(errno, "write");
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Bytes received and not read yet (FIONREAD 0x541B, §5).</summary>
    public int BytesToRead
    {
        get
        {
            int count;
            if (Libc.Ioctl(Fd, 0x541B, &count) != 0)
            {
                throw Gone(Libc.LastError, "FIONREAD");
            }

            return count;
        }
    }

    public void DiscardInput()
    {
        // TCFLSH with TCIFLUSH: drop stale bytes (e.g. the R503's 0x55 "ready") before a command/response.
        if (Libc.IoctlValue(Fd, Termios2.TCFLSH, Termios2.TCIFLUSH) != 0)
        {
            throw Gone(Libc.LastError, "TCFLSH");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_fd > 0)
            {
                Libc.Close(_fd);
                _fd = -1;
                // The waiter finishes the read in hand (its poll sees the closed fd) and the queued ones, then ends.
                _reads.CompleteAdding();
            }
        }
    }

    /// <summary>The waiter thread: serves waiting reads one at a time, in order (a port has one byte stream).</summary>
    private void WaitLoop()
    {
        foreach (var read in _reads.GetConsumingEnumerable())
        {
            try
            {
                read.Done.TrySetResult(ReadBlocking(read.Buffer, read.Timeout, read.Token));
            }
            catch (OperationCanceledException) when (read.Token.IsCancellationRequested)
            {
                read.Done.TrySetCanceled(read.Token);
            }
            catch (Exception ex)
            {
                // Handed to the reader exactly as a direct call would have thrown it (SerialPortGoneException,
                // ObjectDisposedException after Dispose, IOException); an exception must never end this thread.
                read.Done.TrySetException(ex);
            }
        }

        _reads.Dispose();
    }

    private int Fd
    {
        get
        {
            var fd = _fd;
            ObjectDisposedException.ThrowIf(fd < 0, this);
            return fd;
        }
    }

    private static void Configure(int fd, string path, int baud)
    {
        Termios2 tio;
        if (Libc.Ioctl(fd, Termios2.TCGETS2, &tio) != 0)
        {
            throw new IOException($"{path} is not a tty (TCGETS2): {Libc.Describe(Libc.LastError)}");
        }

        tio.MakeRaw8N1(baud);
        if (Libc.Ioctl(fd, Termios2.TCSETS2, &tio) != 0)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"Cannot set {path} to {baud} 8N1 (TCSETS2): {Libc.Describe(Libc.LastError)}"));
        }

        Libc.IoctlValue(fd, Termios2.TCFLSH, Termios2.TCIOFLUSH);
    }

    private int ReadBlocking(Memory<byte> buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var remaining = timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var slice = remaining < PollSlice ? remaining : PollSlice;
            var ready = WaitFor(Libc.POLLIN, (int)Math.Ceiling(slice.TotalMilliseconds));
            if (ready)
            {
                var n = TryReadNow(buffer.Span);
                if (n > 0)
                {
                    return n;
                }
            }

            // Counted in wall time by poll itself: the kernel is the clock here, not the TimeProvider.
            remaining -= slice;
            if (remaining <= TimeSpan.Zero)
            {
                return 0;
            }
        }
    }

    private int TryReadNow(Span<byte> buffer)
    {
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = Libc.Read(Fd, p, buffer.Length);
            }

            if (n > 0)
            {
                return (int)n;
            }

            if (n == 0)
            {
                // read() of 0 on a tty in raw mode with VMIN=1 means hang-up (the other end closed).
                throw new SerialPortGoneException(Name, "end of file (hang-up)");
            }

            var errno = Libc.LastError;
            if (errno == Libc.EINTR)
            {
                continue;
            }

            if (errno == Libc.EAGAIN)
            {
                return 0;
            }

            throw Gone(errno, "read");
        }
    }

    /// <summary>poll() for <paramref name="events"/>; POLLHUP/POLLERR/POLLNVAL mean the device is gone
    /// (a USB adapter pulled, or a pty whose other end closed).</summary>
    private bool WaitFor(short events, int timeoutMs)
    {
        var pfd = new Libc.PollFd { Fd = Fd, Events = events };
        var rc = Libc.Poll(&pfd, 1, timeoutMs);
        if (rc < 0)
        {
            var errno = Libc.LastError;
            if (errno == Libc.EINTR)
            {
                return false;
            }

            throw Gone(errno, "poll");
        }

        if (rc == 0)
        {
            return false;
        }

        if ((pfd.Revents & events) != 0)
        {
            return true;
        }

        if ((pfd.Revents & (Libc.POLLHUP | Libc.POLLERR | Libc.POLLNVAL)) != 0)
        {
            throw new SerialPortGoneException(Name, string.Create(CultureInfo.InvariantCulture, $"poll revents 0x{pfd.Revents:X}"));
        }

        return false;
    }

    private Exception Gone(int errno, string operation) =>
        errno is Libc.EIO or Libc.ENXIO or Libc.ENODEV or 9 /* EBADF */
            ? new SerialPortGoneException(Name, operation + ": " + Libc.Describe(errno))
            : new IOException($"{operation} on {Name} failed: {Libc.Describe(errno)}");

    private sealed record PendingRead(Memory<byte> Buffer, TimeSpan Timeout, CancellationToken Token, TaskCompletionSource<int> Done);
}
