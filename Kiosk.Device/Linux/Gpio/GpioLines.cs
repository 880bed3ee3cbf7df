using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Kiosk.Device.Linux.Gpio;

/// <summary>A set of requested lines behind one line fd. Values are addressed by chip offset here; on the wire bit i
/// of gpio_v2_line_values is the i-th requested line (hardware-protocols.md §5).</summary>
public sealed class GpioLines : IDisposable
{
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(200);
    private readonly IGpioFile _file;
    private readonly Lock _gate = new();

    internal GpioLines(IGpioFile file, IReadOnlyList<int> offsets, bool isOutput)
    {
        _file = file;
        Offsets = offsets.ToArray();
        IsOutput = isOutput;
    }

    public IReadOnlyList<int> Offsets { get; }

    public bool IsOutput { get; }

    public string Description => _file.Path;

    /// <summary>Sets several lines in one ioctl; <paramref name="mask"/> bit i selects the i-th requested line.</summary>
    public void SetValues(ulong bits, ulong mask)
    {
        if (!IsOutput)
        {
            throw new InvalidOperationException($"{Description} was requested as input.");
        }

        Span<byte> buffer = stackalloc byte[GpioV2Abi.LineValuesSize];
        GpioV2Abi.EncodeLineValues(buffer, bits, mask);
        lock (_gate)
        {
            _file.Ioctl(GpioV2Abi.LineSetValuesIoctl, buffer);
        }
    }

    public void Set(int offset, bool value)
    {
        var bit = 1UL << IndexOf(offset);
        SetValues(value ? bit : 0, bit);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for edge events and returns those available (empty on timeout).
    /// The kernel returns whole 48-byte events, several per read when they queued up.</summary>
    public IReadOnlyList<GpioEdgeEvent> ReadEvents(TimeSpan timeout)
    {
        if (!_file.WaitReadable(timeout))
        {
            return [];
        }

        var buffer = new byte[GpioV2Abi.LineEventSize * 16];
        var count = _file.Read(buffer);
        if (count % GpioV2Abi.LineEventSize != 0)
        {
            throw new GpioException($"{Description} returned {count} bytes, not a multiple of the {GpioV2Abi.LineEventSize}-byte gpio_v2_line_event.");
        }

        var events = new List<GpioEdgeEvent>(count / GpioV2Abi.LineEventSize);
        for (var at = 0; at < count; at += GpioV2Abi.LineEventSize)
        {
            events.Add(GpioV2Abi.DecodeLineEvent(buffer.AsSpan(at, GpioV2Abi.LineEventSize)));
        }

        return events;
    }

    /// <summary>Edge events until cancelled (the enumeration then ends with OperationCanceledException). The blocking
    /// poll runs in short slices on a thread of its own, never on the thread pool: a button or the R503 WAKEUP line
    /// waits for hours, and waits parked on pool threads starve everything else that needs the pool.</summary>
    public async IAsyncEnumerable<GpioEdgeEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var edges = Channel.CreateUnbounded<GpioEdgeEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var waiter = new Thread(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var edge in ReadEvents(PollSlice))
                    {
                        edges.Writer.TryWrite(edge);
                    }
                }

                edges.Writer.TryComplete();
            }
            catch (Exception ex) when (ex is GpioException or ObjectDisposedException)
            {
                edges.Writer.TryComplete(ex);
            }
        }) { IsBackground = true, Name = "gpio " + Description };
        waiter.Start();
        try
        {
            await foreach (var edge in edges.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return edge;
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            // An abandoned enumeration stops the waiter within one poll slice.
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => _file.Dispose();

    private int IndexOf(int offset)
    {
        for (var i = 0; i < Offsets.Count; i++)
        {
            if (Offsets[i] == offset)
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Line {offset} is not part of {Description}.");
    }
}
