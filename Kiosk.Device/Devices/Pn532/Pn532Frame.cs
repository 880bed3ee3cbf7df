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
/// Looks for the start code 00 FF; counts and reports everything it skips or rejects.</summary>
public sealed class Pn532FrameParser(byte expectedTfi)
{
    private enum State { Hunt, AfterZero, Len, Lcs, ExtLenM, ExtLenL, ExtLcs, Body, Dcs, Postamble, AckPostamble }

    private State _state = State.Hunt;
    private int _len;
    private byte _lenByte;
    private byte _lenM;
    private Pn532FrameKind _pendingControl;
    private readonly byte[] _body = new byte[266];
    private int _bodyCount;
    private byte _sum;

    public FrameStatistics Statistics { get; } = new();

    public Pn532FrameError LastError { get; private set; }

    public bool TryPush(byte b, out Pn532Frame? frame)
    {
        frame = null;
        LastError = Pn532FrameError.None;
        switch (_state)
        {
            case State.Hunt:
                if (b == 0x00)
                {
                    _state = State.AfterZero;
                }
                else
                {
                    Skip();
                }

                return false;
            case State.AfterZero:
                // Preamble zeros may repeat (the wake-up sends many); 00 FF is the start code.
                if (b == 0xFF)
                {
                    _state = State.Len;
                }
                else if (b != 0x00)
                {
                    _state = State.Hunt;
                    Skip();
                }

                return false;
            case State.Len:
                _lenByte = b;
                _state = State.Lcs;
                return false;
            case State.Lcs:
                return OnLcs(b);
            case State.ExtLenM:
                _lenM = b;
                _state = State.ExtLenL;
                return false;
            case State.ExtLenL:
                _len = (_lenM << 8) | b;
                _lenByte = b;
                _state = State.ExtLcs;
                return false;
            case State.ExtLcs:
                if (((_lenM + _lenByte + b) & 0xFF) != 0 || _len is < 1 or > 265)
                {
                    return Fail(Pn532FrameError.LengthChecksum, corrupt: true);
                }

                StartBody();
                return false;
            case State.Body:
                _body[_bodyCount++] = b;
                _sum += b;
                if (_bodyCount == _len)
                {
                    _state = State.Dcs;
                }

                return false;
            case State.Dcs:
                _sum += b;
                if (_sum != 0)
                {
                    return Fail(Pn532FrameError.DataChecksum, corrupt: false);
                }

                _state = State.Postamble;
                return false;
            case State.Postamble:
                _state = State.Hunt;
                if (b != 0x00)
                {
                    return Fail(Pn532FrameError.MissingPostamble, corrupt: true);
                }

                return Complete(out frame);
            case State.AckPostamble:
                _state = State.Hunt;
                if (b != 0x00)
                {
                    return Fail(Pn532FrameError.MissingPostamble, corrupt: true);
                }

                Statistics.Frame();
                frame = _pendingControl == Pn532FrameKind.Ack ? Pn532Frame.AckFrame : Pn532Frame.NackFrame;
                return true;
            default:
                throw new InvalidOperationException("Unreachable parser state.");
        }
    }

    private bool OnLcs(byte lcs)
    {
        if (_lenByte == 0x00 && lcs == 0xFF)
        {
            _pendingControl = Pn532FrameKind.Ack;
            _state = State.AckPostamble;
            return false;
        }

        if (_lenByte == 0xFF && lcs == 0x00)
        {
            _pendingControl = Pn532FrameKind.Nack;
            _state = State.AckPostamble;
            return false;
        }

        if (_lenByte == 0xFF && lcs == 0xFF)
        {
            _state = State.ExtLenM;
            return false;
        }

        if (((_lenByte + lcs) & 0xFF) != 0 || _lenByte == 0)
        {
            return Fail(Pn532FrameError.LengthChecksum, corrupt: true);
        }

        _len = _lenByte;
        StartBody();
        return false;
    }

    private void StartBody()
    {
        _bodyCount = 0;
        _sum = 0;
        _state = State.Body;
    }

    private bool Complete(out Pn532Frame? frame)
    {
        frame = null;
        var tfi = _body[0];
        var data = _body.AsSpan(1, _len - 1).ToArray();
        // The syntax-error frame (§3): LEN 01, TFI 7F, DCS 81.
        if (_len == 1 && tfi == 0x7F)
        {
            Statistics.Frame();
            frame = Pn532Frame.ErrorFrame;
            return true;
        }

        if (tfi != expectedTfi)
        {
            return Fail(Pn532FrameError.BadTfi, corrupt: true);
        }

        Statistics.Frame();
        frame = new Pn532Frame(Pn532FrameKind.Information, tfi, data);
        return true;
    }

    private void Skip()
    {
        Statistics.Garbage();
        LastError = Pn532FrameError.Garbage;
    }

    private bool Fail(Pn532FrameError error, bool corrupt)
    {
        if (corrupt)
        {
            Statistics.Corruption();
        }
        else
        {
            Statistics.Checksum();
        }

        LastError = error;
        _state = State.Hunt;
        return false;
    }
}
