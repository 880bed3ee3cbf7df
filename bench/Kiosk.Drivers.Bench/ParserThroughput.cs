using System.Diagnostics;
using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Devices.Pn532;
using Kiosk.Device.Devices.Rdm6300;

namespace Kiosk.Drivers.Bench;

internal sealed record ParserResult(string Name, long Frames, long Valid, long Accepted, double Seconds, double Megabytes)
{
    public double FramesPerSecond => Frames / Seconds;
}

/// <summary>Each parser over one stream of N frames: half valid, half random bytes of frame size (noise,
/// corrupt frames). The stream is built first; only the parsing is timed.</summary>
internal static class ParserThroughput
{
    public static bool AllExact { get; private set; } = true;

    public static IEnumerable<ParserResult> Run(int frames)
    {
        var random = new Random(20260302);
        yield return Measure("RDM6300", frames, random, i => Rdm6300FrameParser.Encode([0x0A, (byte)i, (byte)(i >> 8), (byte)(i >> 16), 0x42]),
            stream =>
            {
                var parser = new Rdm6300FrameParser();
                Span<byte> tag = stackalloc byte[5];
                long accepted = 0;
                foreach (var b in stream)
                {
                    if (parser.TryPush(b, tag))
                    {
                        accepted++;
                    }
                }

                return accepted;
            });
        yield return Measure("PN532", frames, random,
            i => Pn532Codec.Encode(Pn532Codec.Pn532ToHost, [0x4B, 0x01, 0x01, 0x00, 0x04, 0x08, 0x04, (byte)i, (byte)(i >> 8), (byte)(i >> 16), 0x99]),
            stream =>
            {
                var parser = new Pn532FrameParser(Pn532Codec.Pn532ToHost);
                long accepted = 0;
                foreach (var b in stream)
                {
                    if (parser.TryPush(b, out _))
                    {
                        accepted++;
                        while (parser.TryTake(out _))
                        {
                            accepted++;
                        }
                    }
                }

                return accepted;
            });
        yield return Measure("R30x fingerprint", frames, random,
            i => R30xPacket.Ack(R30xCode.Ok, (byte)(i >> 8), (byte)i, 0, 100).Encode(),
            stream =>
            {
                var parser = new R30xPacketParser();
                long accepted = 0;
                foreach (var b in stream)
                {
                    if (parser.TryPush(b, out _))
                    {
                        accepted++;
                        while (parser.TryTake(out _))
                        {
                            accepted++;
                        }
                    }
                }

                return accepted;
            });
    }

    private static ParserResult Measure(string name, int frames, Random random, Func<int, byte[]> valid, Func<byte[], long> parse)
    {
        using var stream = new MemoryStream();
        long validCount = 0;
        for (var i = 0; i < frames; i++)
        {
            var frame = valid(i);
            if (i % 2 == 1)
            {
                // Random bytes the size of a frame: what a floating RX line or a wrong baud rate delivers.
                random.NextBytes(frame);
            }
            else
            {
                validCount++;
            }

            stream.Write(frame);
        }

        var bytes = stream.ToArray();
        parse(bytes); // warm-up (JIT)
        var started = Stopwatch.GetTimestamp();
        var accepted = parse(bytes);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        // Random bytes could in principle form a valid frame (both checksums right by chance), so more accepted
        // than valid is possible; fewer means noise swallowed a real frame, a parser bug.
        if (accepted < validCount)
        {
            AllExact = false;
        }

        return new ParserResult(name, frames, validCount, accepted, seconds, bytes.Length / 1e6);
    }
}
