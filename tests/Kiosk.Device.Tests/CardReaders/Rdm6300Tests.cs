using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.Rdm6300;
using Kiosk.Device.Emulators;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.CardReaders;

[Collection(SocatPty.Collection)]
public sealed class Rdm6300Tests
{
    private static readonly byte[] Worked = [0x02, .. Encoding.ASCII.GetBytes("0A0018C3F2" + "23"), 0x03];

    [Fact]
    public void The_worked_frame_encodes_with_checksum_0x23()
    {
        // hardware-protocols.md §2: 0A^00^18^C3^F2 = 0x23.
        Assert.Equal(Worked, Rdm6300FrameParser.Encode(Convert.FromHexString("0A0018C3F2")));
    }

    [Fact]
    public void The_worked_frame_parses_to_its_tag_in_both_badge_formats()
    {
        var parser = new Rdm6300FrameParser();
        var tag = Feed(parser, Worked).Single();
        Assert.Equal("0A0018C3F2", CardIds.Format(tag, CardIdFormat.Hex));
        Assert.Equal("0001623026", CardIds.Format(tag, CardIdFormat.Decimal10));
    }

    [Theory]
    [InlineData("02 30 41 30 30 31 38 43 33 46 32 32 34 03", "Checksum")] // checksum 24 instead of 23
    [InlineData("02 30 41 30 30 31 38 02 30 41 30 30 31 38 43 33 46 32 32 33 03", "Truncated")] // cut short, then a good frame
    [InlineData("02 30 41 30 30 31 38 43 33 46 32 32 33 04", "Corrupt")] // no 0x03 at the end
    [InlineData("02 30 41 30 30 31 58 43 33 46 32 32 33 03", "Corrupt")] // 'X' is not hex
    [InlineData("FF 00 41 42 0D 0A", "Garbage")]
    public void A_corrupt_frame_never_yields_a_card_id_and_is_counted(string hex, string counter)
    {
        var parser = new Rdm6300FrameParser();
        var tags = Feed(parser, Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)));
        var stats = parser.Statistics;
        var count = counter switch
        {
            "Checksum" => stats.ChecksumErrors,
            "Truncated" => stats.Truncated,
            "Corrupt" => stats.Corrupt,
            _ => stats.GarbageBytes,
        };
        Assert.True(count > 0, stats.ToString());
        // Only the intact frame of the "Truncated" case comes through, and it is the worked one.
        Assert.All(tags, t => Assert.Equal("0A0018C3F2", Convert.ToHexString(t)));
        Assert.Equal(counter == "Truncated" ? 1 : 0, tags.Count);
    }

    [Fact]
    public void Random_byte_streams_never_crash_the_parser_nor_yield_a_tag_with_a_wrong_checksum()
    {
        var bytes = Gen.ArrayOf(Gen.Elements<byte>([0x02, 0x03, (byte)'0', (byte)'A', (byte)'F', (byte)'9', (byte)'x', 0x00, 0xFF]));
        Prop.ForAll(bytes.ToArbitrary(), ArbMap.Default.ArbFor<byte[]>(), (salted, random) =>
        {
            var parser = new Rdm6300FrameParser();
            byte[] stream = [.. salted, .. random, .. Worked, .. salted];
            foreach (var tag in Feed(parser, stream))
            {
                // Encode writes the XOR of the data as the checksum, so the frame being literally in the stream
                // proves the parser only accepted a frame whose checksum was right.
                if (stream.AsSpan().IndexOf(Rdm6300FrameParser.Encode(tag)) < 0)
                {
                    return false;
                }
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public async Task A_card_held_in_the_field_is_reported_once_and_again_after_it_was_taken_away()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        await using var pty = await SocatPty.StartAsync();
        await using var reader = new Rdm6300Reader(LinuxSerialPort.Open(pty.HostPath, 9600), new Rdm6300Options(), clock);
        using var emulator = new Rdm6300Emulator(LinuxSerialPort.Open(pty.DevicePath, 9600), clock) { RepeatInterval = TimeSpan.Zero };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var cards = reader.ReadCardsAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        // Eight repeats while the card lies on the reader (clock frozen: all within 0.5 s).
        await emulator.HoldAsync("0A0018C3F2", 8, cts.Token);
        Assert.True(await cards.MoveNextAsync());
        Assert.Equal("0A0018C3F2", cards.Current.CardId);
        Assert.Equal("rdm6300", cards.Current.ReaderName);

        // Taken away (0.6 s of silence), then presented again: a second presentation. A marker card after
        // proves the repeats in between produced nothing.
        clock.Advance(TimeSpan.FromMilliseconds(600));
        await emulator.PresentAsync("0A0018C3F2", cts.Token);
        Assert.True(await cards.MoveNextAsync());
        Assert.Equal("0A0018C3F2", cards.Current.CardId);
        await emulator.HoldAsync("0A0018C3F2", 3, cts.Token);
        await emulator.PresentAsync("1100BC614E", cts.Token);
        Assert.True(await cards.MoveNextAsync());
        Assert.Equal("1100BC614E", cards.Current.CardId);
        Assert.Equal(13, reader.Statistics.Frames);
    }

    [Fact]
    public async Task Garbage_bad_checksums_and_truncated_frames_on_the_line_are_counted_and_the_next_card_reads()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        await using var pty = await SocatPty.StartAsync();
        await using var reader = new Rdm6300Reader(LinuxSerialPort.Open(pty.HostPath, 9600), new Rdm6300Options(CardIdFormat.Decimal10), clock);
        using var emulator = new Rdm6300Emulator(LinuxSerialPort.Open(pty.DevicePath, 9600), clock);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var cards = reader.ReadCardsAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        await emulator.WriteRawAsync([0xFF, 0x13, 0x37, .. "noise"u8], cts.Token);
        await emulator.WriteRawAsync(Rdm6300Emulator.WithBadChecksum("1100BC614E"), cts.Token);
        await emulator.WriteRawAsync(Worked[..7], cts.Token);
        await emulator.PresentAsync("0A0018C3F2", cts.Token);

        Assert.True(await cards.MoveNextAsync());
        Assert.Equal("0001623026", cards.Current.CardId);
        Assert.Equal(1, reader.Statistics.ChecksumErrors);
        Assert.Equal(1, reader.Statistics.Truncated);
        Assert.Equal(8, reader.Statistics.GarbageBytes);
        Assert.Equal(1, reader.Statistics.Frames);
    }

    [Fact]
    public void Presence_uses_the_injected_clock_a_repeat_within_half_a_second_is_the_same_presentation()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        clock.Advance(TimeSpan.FromHours(1)); // a monotonic clock an hour after boot, not at zero
        var reader = new Rdm6300Reader(InMemorySerialPair.Create("x").Host, new Rdm6300Options(), clock);
        var tag = Convert.FromHexString("0A0018C3F2");
        Assert.NotNull(reader.Accept(tag));
        clock.Advance(TimeSpan.FromMilliseconds(220));
        Assert.Null(reader.Accept(tag));
        clock.Advance(TimeSpan.FromMilliseconds(450));
        Assert.Null(reader.Accept(tag)); // still repeating: each repeat restarts the 0.5 s
        clock.Advance(TimeSpan.FromMilliseconds(501));
        var again = reader.Accept(tag);
        Assert.NotNull(again);
        Assert.Equal(TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(1171), again.MonotonicTimestamp);
        Assert.NotNull(reader.Accept(Convert.FromHexString("1100BC614E"))); // another card at once
    }

    internal static List<byte[]> Feed(Rdm6300FrameParser parser, byte[] stream)
    {
        var tags = new List<byte[]>();
        var tag = new byte[5];
        foreach (var b in stream)
        {
            if (parser.TryPush(b, tag))
            {
                tags.Add(tag.ToArray());
            }
        }

        return tags;
    }
}
