using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Linux.Serial;

/// <summary>Keeps a reader usable across unplugs (issue 3: "a reader unplugged while running is reported,
/// and the port is reopened when the device comes back"). A read that finds the port gone raises
/// <see cref="Disconnected"/>, then retries the open with exponential backoff until the node is back, raises
/// <see cref="Reconnected"/> (drivers re-initialise the module there) and carries on. Writes while the port is
/// gone try one reopen and otherwise throw <see cref="SerialPortGoneException"/>.</summary>
public sealed class ReopeningSerialPort : ISerialTransport
{
    private readonly Func<ISerialTransport> _open;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly TimeSpan _firstBackoff;
    private readonly TimeSpan _maxBackoff;
    private readonly object _gate = new();
    private ISerialTransport? _inner;
    private bool _disposed;

    public ReopeningSerialPort(string name, Func<ISerialTransport> open, TimeProvider time, ILogger? log = null,
        TimeSpan? firstBackoff = null, TimeSpan? maxBackoff = null)
    {
        Name = name;
        _open = open;
        _time = time;
        _log = log ?? NullLogger.Instance;
        _firstBackoff = firstBackoff ?? TimeSpan.FromMilliseconds(200);
        _maxBackoff = maxBackoff ?? TimeSpan.FromSeconds(5);
    }

    /// <summary>The usual way in: reopen <paramref name="path"/> at <paramref name="baud"/>.</summary>
    public static ReopeningSerialPort ForDevice(string path, int baud, TimeProvider time, ILogger? log = null,
        TimeSpan? firstBackoff = null, TimeSpan? maxBackoff = null) =>
        new(path, () => LinuxSerialPort.Open(path, baud), time, log, firstBackoff, maxBackoff);

    public string Name { get; }

    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _inner is not null;
            }
        }
    }

    /// <summary>How many times the port came back after being gone.</summary>
    public int Reconnections { get; private set; }

    public event EventHandler<SerialPortGoneException>? Disconnected;

    public event EventHandler? Reconnected;

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var port = await WaitUntilOpenAsync(cancellationToken);
        try
        {
            return await port.ReadAsync(buffer, timeout, cancellationToken);
        }
        catch (SerialPortGoneException gone)
        {
            Lost(port, gone);
            return 0;
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var port = Current() ?? TryOpenOnce() ?? throw new SerialPortGoneException(Name, "not connected");
        try
        {
            await port.WriteAsync(data, cancellationToken);
        }
        catch (SerialPortGoneException gone)
        {
            Lost(port, gone);
            throw;
        }
    }

    public void DiscardInput()
    {
        var port = Current();
        if (port is null)
        {
            return;
        }

        try
        {
            port.DiscardInput();
        }
        catch (SerialPortGoneException gone)
        {
            Lost(port, gone);
        }
    }

    /// <summary>Returns the open port, opening it with backoff (first 200 ms, doubling, at most 5 s).</summary>
    public async ValueTask<ISerialTransport> WaitUntilOpenAsync(CancellationToken cancellationToken)
    {
        var delay = _firstBackoff;
        var attempts = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var port = Current() ?? TryOpenOnce();
            if (port is not null)
            {
                return port;
            }

            attempts++;
            if (attempts == 1 || attempts % 10 == 0)
            {
                _log.LogInformation("Waiting for serial port {Port} to come back (attempt {Attempt}, next in {Delay})", Name, attempts, delay);
            }

            await Task.Delay(delay, _time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _maxBackoff.Ticks));
        }
    }

    public void Dispose()
    {
        ISerialTransport? inner;
        lock (_gate)
        {
            _disposed = true;
            inner = _inner;
            _inner = null;
        }

        inner?.Dispose();
    }

    private ISerialTransport? Current()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _inner;
        }
    }

    private ISerialTransport? TryOpenOnce()
    {
        ISerialTransport opened;
        try
        {
            opened = _open();
        }
        catch (SerialPortGoneException)
        {
            return null;
        }
        catch (IOException ex)
        {
            // A node that exists but cannot be configured yet (udev still setting permissions): retry later.
            _log.LogWarning("Cannot open serial port {Port} yet: {Reason}", Name, ex.Message);
            return null;
        }

        bool wasLost;
        lock (_gate)
        {
            if (_disposed)
            {
                opened.Dispose();
                return null;
            }

            _inner = opened;
            wasLost = _everOpened;
            _everOpened = true;
        }

        if (wasLost)
        {
            Reconnections++;
            _log.LogInformation("Serial port {Port} is back (reconnection {Count})", Name, Reconnections);
            Reconnected?.Invoke(this, EventArgs.Empty);
        }

        return opened;
    }

    private bool _everOpened;

    private void Lost(ISerialTransport port, SerialPortGoneException gone)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_inner, port))
            {
                return;
            }

            _inner = null;
        }

        port.Dispose();
        _log.LogWarning("Serial port {Port} disappeared: {Reason}; reopening with backoff", Name, gone.Reason);
        Disconnected?.Invoke(this, gone);
    }
}
