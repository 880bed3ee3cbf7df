namespace Kiosk.Device.Linux.Serial;

/// <summary>What a frame parser saw on a serial line. Every error is counted (and logged by the driver) and the
/// parser carries on (issue 3, "Bad input"). Thread-safe counters: a probe reads them while the driver runs.</summary>
public sealed class FrameStatistics
{
    private long _frames;
    private long _garbage;
    private long _checksum;
    private long _truncated;
    private long _corrupt;

    /// <summary>Frames accepted (checksums right).</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Bytes outside any frame, skipped while looking for a start marker.</summary>
    public long GarbageBytes => Interlocked.Read(ref _garbage);

    public long ChecksumErrors => Interlocked.Read(ref _checksum);

    /// <summary>A frame cut short by a new start marker.</summary>
    public long Truncated => Interlocked.Read(ref _truncated);

    /// <summary>Malformed frames: bad length, bad characters, missing end marker.</summary>
    public long Corrupt => Interlocked.Read(ref _corrupt);

    public long Errors => ChecksumErrors + Truncated + Corrupt;

    internal void Frame() => Interlocked.Increment(ref _frames);

    internal void Garbage() => Interlocked.Increment(ref _garbage);

    internal void Checksum() => Interlocked.Increment(ref _checksum);

    internal void Truncate() => Interlocked.Increment(ref _truncated);

    internal void Corruption() => Interlocked.Increment(ref _corrupt);

    public override string ToString() =>
        $"frames={Frames} garbage={GarbageBytes} checksum={ChecksumErrors} truncated={Truncated} corrupt={Corrupt}";
}
