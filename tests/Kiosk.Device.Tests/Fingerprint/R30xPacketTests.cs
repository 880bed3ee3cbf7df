using FsCheck;
using FsCheck.Fluent;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.Fingerprint;

namespace Kiosk.Device.Tests.Fingerprint;

public sealed class R30xPacketTests
{
    private const string Head = "EF01FFFFFFFF";

    // hardware-protocols.md §1 "Worked examples", byte for byte.
    [Theory]
    [InlineData(R30xInstruction.GenImg, new byte[0], "010003010005")]
    [InlineData(R30xInstruction.Img2Tz, new byte[] { 1 }, "01000402010008")]
    [InlineData(R30xInstruction.Img2Tz, new byte[] { 2 }, "01000402020009")]
    [InlineData(R30xInstruction.VfyPwd, new byte[] { 0, 0, 0, 0 }, "0100071300000000001B")]
    [InlineData(R30xInstruction.TemplateNum, new byte[0], "0100031D0021")]
    [InlineData(R30xInstruction.Search, new byte[] { 1, 0, 0, 0x03, 0xE8 }, "0100080401000003E800F9")]
    [InlineData(R30xInstruction.Store, new byte[] { 1, 0, 5 }, "010006060100050013")]
    [InlineData(R30xInstruction.AuraLedConfig, new byte[] { 1, 0x80, 2, 0 }, "010007350180020000C0")]
    public void Commands_encode_exactly_as_the_worked_examples(R30xInstruction instruction, byte[] parameters, string tail)
    {
        Assert.Equal(Head + tail, Convert.ToHexString(R30xPacket.Command(instruction, parameters).Encode()));
    }

    [Fact]
    public void Acks_encode_exactly_as_the_worked_examples()
    {
        Assert.Equal(Head + "07000300000A", Convert.ToHexString(R30xPacket.Ack(R30xCode.Ok).Encode()));
        Assert.Equal(Head + "07000700000500640077", Convert.ToHexString(R30xPacket.Ack(R30xCode.Ok, 0, 5, 0, 0x64).Encode()));
    }

    [Fact]
    public void The_search_hit_from_the_facts_document_parses_to_slot_5_score_100()
    {
        var parser = new R30xPacketParser();
        var packet = Feed(parser, Convert.FromHexString(Head + "07000700000500640077")).Single();
        Assert.Equal(R30xPid.Ack, packet.Pid);
        Assert.Equal(new byte[] { 0, 0, 5, 0, 0x64 }, packet.Payload);
        Assert.Equal(1, parser.Statistics.Frames);
    }

    [Fact]
    public void A_packet_with_a_wrong_checksum_is_counted_and_never_returned()
    {
        var parser = new R30xPacketParser();
        var bad = Convert.FromHexString(Head + "07000700000500640078");
        Assert.Empty(Feed(parser, bad));
        Assert.Equal(1, parser.Statistics.ChecksumErrors);
        // The parser keeps working: the next good packet comes through.
        Assert.Single(Feed(parser, R30xPacket.Ack(R30xCode.Ok).Encode()));
    }

    [Fact]
    public void Garbage_a_wrong_address_and_a_bad_length_are_counted_and_skipped()
    {
        var parser = new R30xPacketParser();
        byte[] stream =
        [
            0x55, 0x00, 0xEF, 0x02, // R503 "ready" byte and noise
            .. Convert.FromHexString("EF011234567807000300000A"), // another address
            .. Convert.FromHexString("EF01FFFFFFFF07FFFF"), // impossible length
            .. R30xPacket.Ack(R30xCode.NoFinger).Encode(),
        ];
        var packets = Feed(parser, stream);
        Assert.Equal(R30xCode.NoFinger, (R30xCode)packets.Single().Payload[0]);
        Assert.True(parser.Statistics.GarbageBytes >= 3);
        Assert.Equal(2, parser.Statistics.Corrupt);
    }

    [Fact]
    public void Every_confirmation_code_maps_to_a_typed_status_and_a_description()
    {
        foreach (var code in Enum.GetValues<R30xCode>())
        {
            Assert.True(Enum.IsDefined(R30xCodes.ToStatus(code)));
            if (code != R30xCode.Unknown)
            {
                Assert.NotEqual("unknown confirmation code", R30xCodes.Describe(code));
            }
        }

        Assert.Equal(FingerStatus.NoMatch, R30xCodes.ToStatus(R30xCodes.FromByte(0x09)));
        Assert.Equal(FingerStatus.LibraryFull, R30xCodes.ToStatus(R30xCodes.FromByte(0x1F)));
        Assert.Equal(FingerStatus.Timeout, R30xCodes.ToStatus(R30xCode.Timeout));
        Assert.Equal(R30xCode.Unknown, R30xCodes.FromByte(0x77));
        Assert.Equal(FingerStatus.ModuleError, R30xCodes.ToStatus(R30xCode.Unknown));
    }

    [Fact]
    public void Random_byte_streams_never_crash_the_parser_nor_yield_a_packet_with_a_wrong_checksum()
    {
        // Random bytes, sometimes salted with valid packets and header bytes to reach the deep states.
        var gen = Gen.Choose(0, 4).SelectMany(kind => Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i)).Select(bytes => (kind, bytes)));
        Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            var stream = Salt(sample.kind, sample.bytes);
            var parser = new R30xPacketParser();
            foreach (var packet in Feed(parser, stream))
            {
                var encoded = packet.Encode();
                // Its checksum is right by construction of Encode; it must also be literally in the stream,
                // i.e. the parser did not invent or repair anything.
                if (IndexOf(stream, encoded) < 0)
                {
                    return false;
                }
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Noise_even_full_of_false_headers_never_swallows_the_real_packet_behind_it()
    {
        // Noise salted with EF 01 FF FF FF FF (false starts with random lengths) before a real packet: the parser
        // rescans after each rejected false start, so the real packets are all found.
        var noise = Gen.Choose(0, 3).SelectMany(kind => ArbMap.Default.GeneratorFor<byte[]>().Select(bytes => Salt(kind == 3 ? 2 : kind, bytes)));
        Prop.ForAll(noise.ToArbitrary(), noise.ToArbitrary(), (before, between) =>
        {
            var parser = new R30xPacketParser();
            var ack = R30xPacket.Ack(R30xCode.Ok, 0, 7, 0, 50).Encode();
            var found = Feed(parser, [.. before, .. ack, .. between, .. ack]);
            return found.Count(p => p.Payload.AsSpan().SequenceEqual(new byte[] { 0, 0, 7, 0, 50 })) >= 2;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    internal static byte[] Salt(int kind, byte[] bytes) => kind switch
    {
        0 => bytes,
        1 => [.. bytes, .. R30xPacket.Ack(R30xCode.Ok).Encode(), .. bytes],
        2 => [0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, .. bytes],
        3 => [.. R30xPacket.Command(R30xInstruction.Search, 1, 0, 0, 3, 0xE8).Encode().Select((b, i) => i == 12 && bytes.Length > 0 ? bytes[0] : b), .. bytes],
        _ => [.. bytes.Select(b => (byte)(b % 3 == 0 ? 0xEF : b))],
    };

    internal static List<R30xPacket> Feed(R30xPacketParser parser, byte[] stream)
    {
        var packets = new List<R30xPacket>();
        foreach (var b in stream)
        {
            if (parser.TryPush(b, out var packet))
            {
                do
                {
                    packets.Add(packet!);
                }
                while (parser.TryTake(out packet));
            }
        }

        // The stream ends: a quiet line (the drivers flush after an inter-byte gap).
        parser.Flush();
        while (parser.TryTake(out var rescued))
        {
            packets.Add(rescued!);
        }

        return packets;
    }

    internal static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
