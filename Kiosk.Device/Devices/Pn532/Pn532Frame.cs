using Kiosk.Device.Linux.Serial;

namespace Kiosk.Device.Devices.Pn532;

public enum Pn532FrameKind { Information, Ack, Nack, Error }

/// <summary>One frame off the wire. For Information frames <see cref="Tfi"/> is D4 (host → PN532) or D5
/// (PN532 → host) and <see cref="Data"/> is PD0..PDn (command or response code first).</summary>
public sealed record Pn532Frame(Pn532FrameKind Kind, byte Tfi, byte[] Data)
{
    public static readonly Pn532Frame AckFrame = new(Pn532FrameKind.Ack, 0, []);
    public static readonly Pn532Frame NackFrame = new(Pn532FrameKind.Nack, 0, []);
    public static readonly Pn532Frame ErrorFrame = new(Pn532FrameKind.Error, 0x7F, []);
}

/// <summary>PN532 frame codec (UM0701 §6.2, hardware-protocols.md §3):
/// normal <c>00 | 00 FF | LEN | LCS | TFI | PD0..PDn | DCS | 00</c>, (LEN+LCS)&amp;FF = 0, (TFI+ΣPD+DCS)&amp;FF = 0;
/// ACK <c>00 00 FF 00 FF 00</c>, NACK <c>00 00 FF FF 00 00</c>, error <c>00 00 FF 01 FF 7F 81 00</c>,
/// extended <c>00 00 FF FF FF LENM LENL LCS …</c>.</summary>
public static class Pn532Codec
{
    public const byte HostToPn532 = 0xD4;
    public const byte Pn532ToHost = 0xD5;

    public static readonly byte[] Ack = [0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00];
    public static readonly byte[] Nack = [0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00];
    public static readonly byte[] Error = [0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00];

    /// <summary>HSU wake-up (§3): 55 55 then zeros, sent right before SAMConfiguration.</summary>
    public static readonly byte[] WakeUp = [0x55, 0x55, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Encodes a normal information frame with <paramref name="tfi"/> (D4 from the host).</summary>
    public static byte[] Encode(byte tfi, ReadOnlySpan<byte> data)
    {
        if (data.Length + 1 > 255)
        {
            throw new ArgumentException("A normal PN532 frame carries at most 254 data bytes.", nameof(data));
        }

        var len = (byte)(data.Length + 1);
        var frame = new byte[data.Length + 8];
        frame[0] = 0x00;
        frame[1] = 0x00;
        frame[2] = 0xFF;
        frame[3] = len;
        frame[4] = (byte)(0x100 - len);
        frame[5] = tfi;
        var sum = tfi;
        for (var i = 0; i < data.Length; i++)
        {
            frame[6 + i] = data[i];
            sum += data[i];
        }

        frame[6 + data.Length] = (byte)(0x100 - sum);
        frame[7 + data.Length] = 0x00;
        return frame;
    }
}

public enum Pn532FrameError { None, Garbage, LengthChecksum, DataChecksum, BadTfi, MissingPostamble }

/// <summary>Byte-at-a-time parser for frames in either direction (the driver expects D5, the emulator D4).
/// Looks for the start code 00 FF; counts and reports everything it skips or rejects. After a rejected frame the
/// bytes after its false start code are scanned again, so noise containing 00 FF cannot swallow a real frame.</summary>
public sealed class Pn532FrameParser(byte expectedTfi)
{
    private enum State { Hunt, AfterZero, Len, Lcs, ExtLenM, ExtLenL, ExtLcs, Body, Dcs, Postamble, AckPostamble }

    private readonly byte[] _history = new byte[300];
    private readonly byte[] _body = new byte[266];
    private readonly Queue<Pn532Frame> _ready = new();
    private State _state = State.Hunt;
    private int _historyCount;
    private int _len;
    private byte _lenByte;
    private byte _lenM;
    private Pn532FrameKind _pendingControl;
    private int _bodyCount;
    private byte _sum;

    public FrameStatistics Statistics { get; } = new();

    /// <summary>The first error the last pushed byte caused (None when it was fine).</summary>
    public Pn532FrameError LastError { get; private set; }

    /// <summary>Feeds one byte; true with a frame when one is complete. After a rescan one byte can complete
    /// more than one frame: take the rest with <see cref="TryTake"/>.</summary>
    public bool TryPush(byte b, out Pn532Frame? frame)
    {
        LastError = Pn532FrameError.None;
        Step(b);
        return TryTake(out frame);
    }

    public bool TryTake(out Pn532Frame? frame) => _ready.TryDequeue(out frame);

    /// <summary>True while a frame has started (start code seen) but is not complete.</summary>
    public bool InFrame => _state is not (State.Hunt or State.AfterZero);

    /// <summary>The line went quiet mid-frame: the started frame is truncated (or a false start whose LEN was
    /// noise). Counts it and rescans its bytes; returns true if that completed a frame.</summary>
    public bool Flush()
    {
        // Each round drops the first byte of the started frame, so this ends; a rescan can start another
        // false frame that again runs to the end of the bytes, hence the loop.
        while (InFrame)
        {
            Statistics.Truncate();
            var replay = _history.AsSpan(1, _historyCount - 1).ToArray();
            Done();
            foreach (var r in replay)
            {
                Step(r);
            }
        }

        return _ready.Count > 0;
    }

    private void Step(byte b)
    {
        if (_state is State.Hunt or State.AfterZero && b == 0x00)
        {
            // Preamble zeros may repeat (the wake-up sends many); the last one before FF starts the history.
            _state = State.AfterZero;
            _history[0] = b;
            _historyCount = 1;
            return;
        }

        if (_state == State.Hunt)
        {
            Skip();
            return;
        }

        _history[_historyCount++] = b;
        switch (_state)
        {
            case State.AfterZero:
                if (b == 0xFF)
                {
                    _state = State.Len;
                }
                else
                {
                    _state = State.Hunt;
                    _historyCount = 0;
                    Skip();
                }

                return;
            case State.Len:
                _lenByte = b;
                _state = State.Lcs;
                return;
            case State.Lcs:
                OnLcs(b);
                return;
            case State.ExtLenM:
                _lenM = b;
                _state = State.ExtLenL;
                return;
            case State.ExtLenL:
                _len = (_lenM << 8) | b;
                _lenByte = b;
                _state = State.ExtLcs;
                return;
            case State.ExtLcs:
                if (((_lenM + _lenByte + b) & 0xFF) != 0 || _len is < 1 or > 265)
                {
                    Fail(Pn532FrameError.LengthChecksum, corrupt: true);
                    return;
                }

                StartBody();
                return;
            case State.Body:
                _body[_bodyCount++] = b;
                _sum += b;
                if (_bodyCount == _len)
                {
                    _state = State.Dcs;
                }

                return;
            case State.Dcs:
                _sum += b;
                if (_sum != 0)
                {
                    Fail(Pn532FrameError.DataChecksum, corrupt: false);
                    return;
                }

                _state = State.Postamble;
                return;
            case State.Postamble:
                if (b != 0x00)
                {
                    Fail(Pn532FrameError.MissingPostamble, corrupt: true);
                    return;
                }

                Complete();
                return;
            case State.AckPostamble:
                if (b != 0x00)
                {
                    Fail(Pn532FrameError.MissingPostamble, corrupt: true);
                    return;
                }

                Statistics.Frame();
                _ready.Enqueue(_pendingControl == Pn532FrameKind.Ack ? Pn532Frame.AckFrame : Pn532Frame.NackFrame);
                DoneAtPostamble();
                return;
            default:
                throw new InvalidOperationException("Unreachable parser state.");
        }
    }

    private void OnLcs(byte lcs)
    {
        if (_lenByte == 0x00 && lcs == 0xFF)
        {
            _pendingControl = Pn532FrameKind.Ack;
            _state = State.AckPostamble;
            return;
        }

        if (_lenByte == 0xFF && lcs == 0x00)
        {
            _pendingControl = Pn532FrameKind.Nack;
            _state = State.AckPostamble;
            return;
        }

        if (_lenByte == 0xFF && lcs == 0xFF)
        {
            _state = State.ExtLenM;
            return;
        }

        if (((_lenByte + lcs) & 0xFF) != 0 || _lenByte == 0)
        {
            Fail(Pn532FrameError.LengthChecksum, corrupt: true);
            return;
        }

        _len = _lenByte;
        StartBody();
    }

    private void StartBody()
    {
        _bodyCount = 0;
        _sum = 0;
        _state = State.Body;
    }

    private void Complete()
    {
        var tfi = _body[0];
        // The syntax-error frame (§3): LEN 01, TFI 7F, DCS 81.
        if (_len == 1 && tfi == 0x7F)
        {
            Statistics.Frame();
            _ready.Enqueue(Pn532Frame.ErrorFrame);
            DoneAtPostamble();
            return;
        }

        if (tfi != expectedTfi)
        {
            Fail(Pn532FrameError.BadTfi, corrupt: true);
            return;
        }

        var data = _body.AsSpan(1, _len - 1).ToArray();
        Statistics.Frame();
        _ready.Enqueue(new Pn532Frame(Pn532FrameKind.Information, tfi, data));
        DoneAtPostamble();
    }

    private void Done()
    {
        _state = State.Hunt;
        _historyCount = 0;
    }

    /// <summary>A frame was accepted on its 00 postamble. That zero may also be the first byte of the next start
    /// code: ACK/NACK carry no checksum (UM0701 §6.2.1.3), so noise such as <c>00 FF FF</c> right before a real
    /// <c>00 00 FF LEN …</c> reads as a NACK whose postamble is the real frame's start-code zero. Keeping that
    /// zero as a possible start means the real frame behind is still found; a plain preamble zero changes nothing.</summary>
    private void DoneAtPostamble()
    {
        _state = State.AfterZero;
        _history[0] = 0x00;
        _historyCount = 1;
    }

    private void Skip()
    {
        Statistics.Garbage();
        Error(Pn532FrameError.Garbage);
    }

    /// <summary>Counts the rejected frame, then rescans every byte after its start code's first zero.</summary>
    private void Fail(Pn532FrameError error, bool corrupt)
    {
        if (corrupt)
        {
            Statistics.Corruption();
        }
        else
        {
            Statistics.Checksum();
        }

        Error(error);
        var replay = _history.AsSpan(1, _historyCount - 1).ToArray();
        Done();
        foreach (var r in replay)
        {
            Step(r);
        }
    }

    private void Error(Pn532FrameError error)
    {
        if (LastError == Pn532FrameError.None)
        {
            LastError = error;
        }
    }
}
