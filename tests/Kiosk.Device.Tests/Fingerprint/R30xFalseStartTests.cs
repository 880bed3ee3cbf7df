using Kiosk.Device.Devices.Fingerprint;

namespace Kiosk.Device.Tests.Fingerprint;

/// <summary>Deterministic regressions for the R30x packet parser's resync (hardware-protocols.md §1): a false
/// EF 01 header in the noise, overlapping the real packet behind it, must never make the parser lose that packet.</summary>
public sealed class R30xFalseStartTests
{
    // The ReadSysPara-sized reply is long enough for a false header's length field to reach into it.
    private static readonly byte[] Real = R30xPacket.Ack(R30xCode.Ok, 0, 0, 7, 0, 50).Encode();

    [Theory]
    [InlineData("EF")] // a lone header byte: EF EF 01 …
    [InlineData("EF01")] // a header whose address is the real header
    [InlineData("EF01FFFF")] // a header and half an address: the real EF 01 lands in the address
    [InlineData("EF01FFFFFFFF")] // header and address: the real EF is read as a PID
    [InlineData("EF01FFFFFFFF07")] // up to the PID: the real header is read as the length
    [InlineData("EF01FFFFFFFF070010")] // a 16-byte length swallowing the real packet until the checksum fails
    [InlineData("EF01FFFFFFFF070102")] // a 258-byte length: only the quiet line (Flush) ends it
    [InlineData("EF01FFFFFFFF0700030000")] // a whole packet with a wrong checksum right before the real one
    [InlineData("EF01EF01EF01")] // headers straddling each other
    public void A_false_header_overlapping_the_real_packet_never_swallows_it(string noiseHex)
    {
        var parser = new R30xPacketParser();
        var packets = R30xPacketTests.Feed(parser, [.. Convert.FromHexString(noiseHex), .. Real]);

        var packet = Assert.Single(packets);
        Assert.Equal(R30xPid.Ack, packet.Pid);
        Assert.Equal(new byte[] { 0, 0, 0, 7, 0, 50 }, packet.Payload);
        Assert.True(parser.Statistics.Errors + parser.Statistics.GarbageBytes > 0, "the noise is counted");
    }

    [Fact]
    public void A_false_header_between_two_real_packets_loses_neither()
    {
        var parser = new R30xPacketParser();
        byte[] noise = [0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x10];
        var packets = R30xPacketTests.Feed(parser, [.. Real, .. noise, .. Real, .. noise, .. Real]);

        Assert.Equal(3, packets.Count);
        Assert.Equal(2, parser.Statistics.ChecksumErrors + parser.Statistics.Truncated);
    }
}
