namespace Kiosk.Device.Linux.Serial;

/// <summary>A byte pipe to one device: the real UART (<see cref="LinuxSerialPort"/>), the reopening wrapper,
/// or an in-memory pair for the simulator. Drivers take it in their constructor (hardware-protocols.md §7:
/// a binding takes its bus, it does not open it).</summary>
public interface ISerialTransport : IDisposable
{
    /// <summary>The device path or a descriptive name, for logs.</summary>
    string Name { get; }

    /// <summary>Reads what is available, waiting up to <paramref name="timeout"/> for the first byte.
    /// Returns 0 on timeout. Throws <see cref="SerialPortGoneException"/> when the device disappeared.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Writes every byte (or throws <see cref="SerialPortGoneException"/>).</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Discards bytes received but not yet read (TCFLSH input queue).</summary>
    void DiscardInput();
}

/// <summary>The device node went away: USB reader unplugged (EIO/ENXIO/ENODEV), the other end of a pty
/// closed (POLLHUP), or the node is missing when opening. Typed so callers can tell it from a timeout.</summary>
public sealed class SerialPortGoneException : IOException
{
    public SerialPortGoneException()
    {
    }

    public SerialPortGoneException(string message)
        : base(message)
    {
    }

    public SerialPortGoneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SerialPortGoneException(string port, string reason)
        : base($"Serial port {port} is gone: {reason}")
    {
        Port = port;
        Reason = reason;
    }

    public string Port { get; } = string.Empty;

    public string Reason { get; } = string.Empty;
}
