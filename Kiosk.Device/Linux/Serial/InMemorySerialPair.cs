using System.Threading.Channels;

namespace Kiosk.Device.Linux.Serial;

/// <summary>Two connected in-process transports, for the simulator (`--simulate`) when no socat pty pair is
/// wanted: what one end writes, the other reads. Tests of the drivers use real ptys instead (issue 3).</summary>
public sealed class InMemorySerialPair
{
    private InMemorySerialPair(End a, End b)
    {
        Host = a;
        Device = b;
    }

    /// <summary>The end a driver uses.</summary>
    public ISerialTransport Host { get; }

    /// <summary>The end an emulator uses.</summary>
    public ISerialTransport Device { get; }

    public static InMemorySerialPair Create(string name)
    {
        var toDevice = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        var toHost = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        return new InMemorySerialPair(new End(name + " (host)", toHost, toDevice), new End(name + " (device)", toDevice, toHost));
    }

    private sealed class End(string name, Channel<byte[]> incoming, Channel<byte[]> outgoing) : ISerialTransport
    {
        private byte[] _pending = [];
        private int _offset;

        public string Name { get; } = name;

        public async ValueTask<int> ReadAsync(Memory<byte> buffer, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (_offset >= _pending.Length)
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                cts.CancelAfter(timeout);
                try
                {
                    if (!await incoming.Reader.WaitToReadAsync(cts.Token))
                    {
                        throw new SerialPortGoneException(Name, "the other end closed");
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return 0;
                }

                if (!incoming.Reader.TryRead(out var chunk))
                {
                    return 0;
                }

                _pending = chunk;
                _offset = 0;
            }

            var n = Math.Min(buffer.Length, _pending.Length - _offset);
            _pending.AsSpan(_offset, n).CopyTo(buffer.Span);
            _offset += n;
            return n;
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            if (!outgoing.Writer.TryWrite(data.ToArray()))
            {
                throw new SerialPortGoneException(Name, "the other end closed");
            }

            return ValueTask.CompletedTask;
        }

        public void DiscardInput()
        {
            _offset = _pending.Length;
            while (incoming.Reader.TryRead(out _))
            {
            }
        }

        public void Dispose() => outgoing.Writer.TryComplete();
    }
}
