using System.Diagnostics;
using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Devices.Pn532;
using Kiosk.Device.Devices.Rdm6300;

namespace Kiosk.Drivers.Bench;

/// <summary>One parser's run. <see cref="Extra"/>: accepted ids that are none of the valid frames, each proven a
/// well-formed frame that the noise happened to contain; <see cref="Wrong"/>: valid frames missed, or an id no
/// correct frame in the stream carries (a wrong checksum let through). Only Wrong = 0 passes.</summary>
internal sealed record ParserResult(string Name, long Frames, long Valid, long Accepted, long Extra, long Wrong, double Seconds, double Megabytes)
{
    public double FramesPerSecond => Frames / Seconds;
}

/// <summary>Each parser over one stream of N frames: half valid, half random bytes of frame size (noise,
/// corrupt frames). The stream is built first; only the parsing is timed. An untimed run first collects every
/// accepted id and checks it against the ids that were encoded (issue 3: every valid frame is read, and no id
/// comes out whose checksum is wrong).</summary>
internal static class ParserThroughput
{
    public static bool AllExact { get; private set; } = true;

    public static IEnumerable<ParserResult> Run(int frames)
    {
        var random = new Random(20260302);

        // RDM6300 id: the 5-byte tag (§2). Lower-case hex is accepted too, so a chance frame is searched for
        // without regard to case.
        yield return Measure("RDM6300", frames, random,
            i => [0x0A, (byte)i, (byte)(i >> 8), (byte)(i >> 16), 0x42],
            id => Rdm6300FrameParser.Encode(id), ignoreAsciiCase: true,
            (stream, accepted) =>
            {
                var parser = new Rdm6300FrameParser();
                Span<byte> tag = stackalloc byte[5];
                long count = 0;
                foreach (var b in stream)
                {
                    if (parser.TryPush(b, tag))
                    {
                        count++;
                        accepted?.Add(tag.ToArray());
                    }
                }

                return count;
            });

        // PN532 id: the frame's data after the TFI (§3 InListPassiveTarget response).
        yield return Measure("PN532", frames, random,
            i => [0x4B, 0x01, 0x01, 0x00, 0x04, 0x08, 0x04, (byte)i, (byte)(i >> 8), (byte)(i >> 16), 0x99],
            id => Pn532Codec.Encode(Pn532Codec.Pn532ToHost, id), ignoreAsciiCase: false,
            (stream, accepted) =>
            {
                var parser = new Pn532FrameParser(Pn532Codec.Pn532ToHost);
                long count = 0;
                foreach (var b in stream)
                {
                    if (parser.TryPush(b, out var frame))
                    {
                        do
                        {
                            count++;
                            if (frame!.Kind == Pn532FrameKind.Information)
                            {
                                // ACK/NACK/error frames (noise could form one) carry no id.
                                accepted?.Add(frame.Data);
                            }
                        }
                        while (parser.TryTake(out frame));
                    }
                }

                return count;
            });

        // R30x id: the ack's payload, confirmation code + slot + score (§1 Search reply).
        yield return Measure("R30x fingerprint", frames, random,
            i => [(byte)R30xCode.Ok, (byte)(i >> 8), (byte)i, 0, 100],
            id => new R30xPacket(R30xPid.Ack, id).Encode(), ignoreAsciiCase: false,
            (stream, accepted) =>
            {
                var parser = new R30xPacketParser();
                long count = 0;
                foreach (var b in stream)
                {
                    if (parser.TryPush(b, out var packet))
                    {
                        do
                        {
                            count++;
                            accepted?.Add(packet!.Payload);
                        }
                        while (parser.TryTake(out packet));
                    }
                }

                return count;
            });
    }

    private static ParserResult Measure(string name, int frames, Random random, Func<int, byte[]> idOf, Func<byte[], byte[]> encode,
        bool ignoreAsciiCase, Func<byte[], List<byte[]>?, long> parse)
    {
        using var stream = new MemoryStream();
        var valid = new List<byte[]>(frames / 2 + 1);
        for (var i = 0; i < frames; i++)
        {
            var id = idOf(i);
            var frame = encode(id);
            if (i % 2 == 1)
            {
                // Random bytes the size of a frame: what a floating RX line or a wrong baud rate delivers.
                random.NextBytes(frame);
            }
            else
            {
                valid.Add(id);
            }

            stream.Write(frame);
        }

        var bytes = stream.ToArray();

        // Untimed (also the JIT warm-up): every accepted id, in order, against the ids encoded.
        var accepted = new List<byte[]>(valid.Count + 16);
        parse(bytes, accepted);
        var (extra, wrong) = Check(valid, accepted, bytes, encode, ignoreAsciiCase);
        if (wrong > 0)
        {
            AllExact = false;
        }

        var started = Stopwatch.GetTimestamp();
        var count = parse(bytes, null);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ParserResult(name, frames, valid.Count, count, extra, wrong, seconds, bytes.Length / 1e6);
    }

    /// <summary>Walks the accepted ids against the valid ones in stream order. A valid id never accepted is wrong.
    /// Random bytes could in principle form a correct frame (checksums right by chance): an id that is not the next
    /// valid one counts as extra only if its whole encoded frame (checksums included) occurs in the stream;
    /// otherwise the parser let a wrong checksum through, and it is wrong.</summary>
    private static (long Extra, long Wrong) Check(List<byte[]> valid, List<byte[]> accepted, byte[] stream, Func<byte[], byte[]> encode, bool ignoreAsciiCase)
    {
        long extra = 0, wrong = 0;
        var next = 0;
        foreach (var id in accepted)
        {
            if (next < valid.Count && id.AsSpan().SequenceEqual(valid[next]))
            {
                next++;
            }
            else if (Occurs(stream, encode(id), ignoreAsciiCase))
            {
                extra++;
            }
            else
            {
                wrong++;
            }
        }

        return (extra, wrong + (valid.Count - next));
    }

    private static bool Occurs(byte[] stream, byte[] frame, bool ignoreAsciiCase)
    {
        if (!ignoreAsciiCase)
        {
            return stream.AsSpan().IndexOf(frame) >= 0;
        }

        for (var at = 0; at + frame.Length <= stream.Length; at++)
        {
            var i = 0;
            while (i < frame.Length && Fold(stream[at + i]) == Fold(frame[i]))
            {
                i++;
            }

            if (i == frame.Length)
            {
                return true;
            }
        }

        return false;
    }

    private static byte Fold(byte b) => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b;
}
