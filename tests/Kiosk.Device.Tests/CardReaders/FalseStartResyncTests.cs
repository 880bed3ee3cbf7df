using System.Text;
using Kiosk.Device.Devices.Pn532;
using Kiosk.Device.Devices.Rdm6300;
using Kiosk.Device.Emulators;

namespace Kiosk.Device.Tests.CardReaders;

/// <summary>Deterministic regressions for the resync rule of the card-reader parsers: noise holding a false header
/// that overlaps the real frame behind it must never make the parser lose that frame.</summary>
public sealed class FalseStartResyncTests
{
    private static readonly byte[] RealPn532 =
        Pn532Codec.Encode(Pn532Codec.Pn532ToHost, Pn532Emulator.InListResponse([9, 8, 7, 6]));

    private static readonly byte[] RealRdm6300 = Rdm6300FrameParser.Encode(Convert.FromHexString("0A0018C3F2"));

    [Fact]
    public void The_fscheck_counterexample_a_false_nack_ending_on_the_real_start_code_still_yields_the_real_frame()
    {
        // Found by Pn532Tests.Noise_full_of_false_start_codes_never_swallows_the_real_frame_behind_it (seed
        // 5534490299576537785,16235463514343506679, size 10): "00 FF FF" + the real "00 00" reads as a NACK whose
        // postamble is the real frame's start-code zero (ACK/NACK carry no checksum, UM0701 §6.2.1.3).
        var parser = new Pn532FrameParser(Pn532Codec.Pn532ToHost);
        var frames = Pn532Tests.Feed(parser, [0xD5, 0x4B, 0x01, 0xD5, 0x00, 0xFF, 0xFF, .. RealPn532]);

        Assert.Equal([Pn532FrameKind.Nack, Pn532FrameKind.Information], frames.Select(f => f.Kind));
        Assert.Equal(RealPn532.AsSpan(6, RealPn532.Length - 8).ToArray(), frames[1].Data);
    }

    [Theory]
    [InlineData("00FF")] // start code, then the real preamble read as LEN 00 / LCS 00
    [InlineData("00FF0CF4")] // a valid-looking header claiming 12 bytes: swallows the real frame until DCS fails
    [InlineData("00FFFE02")] // claims 254 bytes: only the quiet line (Flush) ends it
    [InlineData("00FFFFFF00")] // a false extended-frame header
    [InlineData("00FF00FF")] // a false ACK whose postamble is the real preamble
    [InlineData("00FFFF")] // a false NACK whose postamble is the real start-code zero
    [InlineData("00FF01FF7F81")] // a false error frame
    [InlineData("0000FF0CF4D5")] // a real-looking header cut short right before the real frame
    [InlineData("00FF0000FF")] // start codes straddling each other
    public void A_false_pn532_start_overlapping_the_real_frame_never_swallows_it(string noiseHex)
    {
        var parser = new Pn532FrameParser(Pn532Codec.Pn532ToHost);
        var frames = Pn532Tests.Feed(parser, [.. Convert.FromHexString(noiseHex), .. RealPn532, .. Pn532Codec.Ack]);

        var info = Assert.Single(frames, f => f.Kind == Pn532FrameKind.Information);
        Assert.Equal(RealPn532.AsSpan(6, RealPn532.Length - 8).ToArray(), info.Data);
        Assert.Equal(Pn532FrameKind.Ack, frames[^1].Kind);
    }

    [Theory]
    [InlineData("02")] // a lone start marker
    [InlineData("023041")] // a start and two characters
    [InlineData("02304130303138433346323233")] // start and 12 characters, no end: the real 0x02 resyncs
    [InlineData("0230413030313843334632323403")] // a whole frame with checksum 24 instead of 23
    [InlineData("0230413030313843334632323304")] // a whole frame ending in 04, not 03
    [InlineData("03020302")] // stray end and start markers
    public void A_false_rdm6300_start_overlapping_the_real_frame_never_swallows_it(string noiseHex)
    {
        var parser = new Rdm6300FrameParser();
        var tags = Rdm6300Tests.Feed(parser, [.. Convert.FromHexString(noiseHex), .. RealRdm6300]);

        Assert.Equal("0A0018C3F2", Convert.ToHexString(Assert.Single(tags)));
        Assert.True(parser.Statistics.Errors > 0, "the noise is counted");
    }

    [Fact]
    public void Noise_with_hex_characters_after_a_false_start_is_not_taken_for_part_of_the_real_frame()
    {
        // §2: the RDM6300 data characters are ASCII hex, so 0x02 can only be a start marker: a frame never
        // begins inside the noise's characters.
        var parser = new Rdm6300FrameParser();
        byte[] noise = [0x02, .. Encoding.ASCII.GetBytes("0A0018")];
        var tags = Rdm6300Tests.Feed(parser, [.. noise, .. RealRdm6300, .. noise, .. RealRdm6300]);

        Assert.Equal(2, tags.Count);
        Assert.Equal(2, parser.Statistics.Truncated);
    }
}
