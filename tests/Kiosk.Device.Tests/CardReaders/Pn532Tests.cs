using FsCheck;
using FsCheck.Fluent;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.Pn532;
using Kiosk.Device.Emulators;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.CardReaders;

[Collection(SocatPty.Collection)]
public sealed class Pn532Tests
{
    // hardware-protocols.md §3 "Frames (checked)", byte for byte.
    [Theory]
    [InlineData("02", "0000FF02FED4022A00")] // GetFirmwareVersion
    [InlineData("14011401", "0000FF05FBD41401140102 00")] // SAMConfiguration normal, timeout 0x14, IRQ on
    [InlineData("14010000", "0000FF05FBD41401000017 00")] // without IRQ
    [InlineData("1401", "0000FF03FDD4140117 00")] // short form
    [InlineData("4A0100", "0000FF04FCD44A0100E1 00")] // InListPassiveTarget, 1 target, 106 kbps type A
    [InlineData("3205FF0101", "0000FF06FAD43205FF0101F4 00")] // RFConfiguration item 5, retry limit
    public void Host_frames_encode_exactly_as_the_worked_examples(string data, string frame)
    {
        Assert.Equal(frame.Replace(" ", string.Empty, StringComparison.Ordinal),
            Convert.ToHexString(Pn532Codec.Encode(Pn532Codec.HostToPn532, Convert.FromHexString(data))));
    }

    [Fact]
    public void Ack_nack_and_error_frames_are_the_documented_bytes_and_parse_as_such()
    {
        Assert.Equal("0000FF00FF00", Convert.ToHexString(Pn532Codec.Ack));
        Assert.Equal("0000FFFF0000", Convert.ToHexString(Pn532Codec.Nack));
        Assert.Equal("0000FF01FF7F8100", Convert.ToHexString(Pn532Codec.Error));
        var parser = new Pn532FrameParser(Pn532Codec.Pn532ToHost);
        var frames = Feed(parser, [.. Pn532Codec.Ack, .. Pn532Codec.Nack, .. Pn532Codec.Error]);
        Assert.Equal([Pn532FrameKind.Ack, Pn532FrameKind.Nack, Pn532FrameKind.Error], frames.Select(f => f.Kind));
    }

    [Fact]
    public void The_wake_up_sequence_and_the_sam_response_from_the_facts_document_parse()
    {
        // Waveshare's answer: ACK then D5 15 (§3 "Wake-up").
        var parser = new Pn532FrameParser(Pn532Codec.Pn532ToHost);
        var frames = Feed(parser, Convert.FromHexString("0000FF00FF000000FF02FED51516 00".Replace(" ", string.Empty, StringComparison.Ordinal)));
        Assert.Equal(Pn532FrameKind.Ack, frames[0].Kind);
        Assert.Equal(new byte[] { 0x15 }, frames[1].Data);
        Assert.Equal(Pn532Codec.Pn532ToHost, frames[1].Tfi);
    }

    [Fact]
    public void A_mifare_classic_response_parses_to_its_four_byte_uid()
    {
        var frame = Pn532Codec.Encode(Pn532Codec.Pn532ToHost, Pn532Emulator.InListResponse([0xDE, 0xAD, 0xBE, 0xEF]));
        // §3: 00 00 FF 0C F4 D5 4B 01 01 00 04 08 04 uid0..3 DCS 00
        Assert.StartsWith("0000FF0CF4D54B0101000408 04DEADBEEF".Replace(" ", string.Empty, StringComparison.Ordinal), Convert.ToHexString(frame), StringComparison.Ordinal);
        var parsed = Feed(new Pn532FrameParser(Pn532Codec.Pn532ToHost), frame).Single();
        Assert.Equal(new byte[] { 0x4B, 0x01, 0x01, 0x00, 0x04, 0x08, 0x04, 0xDE, 0xAD, 0xBE, 0xEF }, parsed.Data);
    }

    [Fact]
    public void Frames_with_a_wrong_length_or_data_checksum_are_counted_and_never_returned()
    {
        var parser = new Pn532FrameParser(Pn532Codec.Pn532ToHost);
        var good = Pn532Codec.Encode(Pn532Codec.Pn532ToHost, [0x4B, 0x01, 0x01, 0x00, 0x04, 0x08, 0x04, 1, 2, 3, 4]);
        var badData = good.ToArray();
        badData[^2] ^= 0x01; // DCS
        var badLength = good.ToArray();
        badLength[4] ^= 0x10; // LCS
        var frames = Feed(parser, [.. badData, .. badLength, 0x42, 0x99, .. good]);
        Assert.Single(frames);
        Assert.Equal(1, parser.Statistics.ChecksumErrors);
        Assert.True(parser.Statistics.Corrupt >= 1);
        Assert.True(parser.Statistics.GarbageBytes >= 2);
    }

    [Fact]
    public void Random_byte_streams_never_crash_the_parser_nor_yield_a_frame_with_a_wrong_checksum()
    {
        var salt = Gen.ArrayOf(Gen.Elements<byte>([0x00, 0xFF, 0xD5, 0x01, 0x7F, 0x4B]));
        Prop.ForAll(salt.ToArbitrary(), ArbMap.Default.ArbFor<byte[]>(), (salted, random) =>
        {
            var parser = new Pn532FrameParser(Pn532Codec.Pn532ToHost);
            byte[] stream = [.. salted, .. random, .. salted, .. Pn532Codec.Encode(Pn532Codec.Pn532ToHost, [0x03, 0x32, 1, 6, 7])];
            foreach (var frame in Feed(parser, stream))
            {
                var bytes = frame.Kind switch
                {
                    Pn532FrameKind.Ack => Pn532Codec.Ack,
                    Pn532FrameKind.Nack => Pn532Codec.Nack,
                    Pn532FrameKind.Error => Pn532Codec.Error,
                    _ => Pn532Codec.Encode(frame.Tfi, frame.Data),
                };
                // Encode recomputes LCS and DCS: the frame must literally be in the stream (minus the optional
                // leading preamble byte), so both checksums were right.
                if (stream.AsSpan().IndexOf(bytes.AsSpan(1)) < 0)
                {
                    return false;
                }
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Noise_full_of_false_start_codes_never_swallows_the_real_frame_behind_it()
    {
        var salt = Gen.ArrayOf(Gen.Elements<byte>([0x00, 0xFF, 0xD5, 0x01, 0x7F, 0x4B, 0x10, 0xF0]));
        Prop.ForAll(salt.ToArbitrary(), ArbMap.Default.ArbFor<byte[]>(), (salted, random) =>
        {
            var parser = new Pn532FrameParser(Pn532Codec.Pn532ToHost);
            var real = Pn532Codec.Encode(Pn532Codec.Pn532ToHost, [0x4B, 0x01, 0x01, 0x00, 0x04, 0x08, 0x04, 9, 8, 7, 6]);
            var frames = Feed(parser, [.. random, .. salted, .. real, .. salted, .. Pn532Codec.Ack]);
            // Only the checksummed frame is asserted: ACK/NACK have no checksum, so noise like "00 FF FF" right
            // before an ACK's zeros legitimately reads as a NACK.
            return frames.Count(f => f.Kind == Pn532FrameKind.Information && f.Data.Length == 11 && f.Data[^1] == 6) >= 1;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public async Task The_driver_wakes_the_reader_limits_retries_and_reads_four_and_seven_byte_uids_once_each()
    {
        await using var pty = await SocatPty.StartAsync();
        await using var emulator = new Pn532Emulator(LinuxSerialPort.Open(pty.DevicePath, 115200));
        emulator.Start();
        var log = new ListLogger();
        // RemovedAfter of an hour: here only a poll that finds no card may end a presentation.
        // Generous timeouts: a loaded CI machine must not turn a slow answer into a failed poll.
        var options = new Pn532Options { PollInterval = TimeSpan.FromMilliseconds(10), RemovedAfter = TimeSpan.FromHours(1), AckTimeout = TimeSpan.FromSeconds(2), ResponseTimeout = TimeSpan.FromSeconds(2) };
        await using var reader = new Pn532Reader(LinuxSerialPort.Open(pty.HostPath, 115200), options, TimeProvider.System, log);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.True(await reader.InitializeAsync(cts.Token), $"{log} | emulator awake={emulator.Awake} commands={emulator.CommandsHandled} {emulator.Statistics} | driver {reader.Statistics}");
        Assert.True(emulator.Awake);
        Assert.True(emulator.SamConfigured);
        Assert.Equal(1, emulator.PassiveActivationRetries);
        Assert.Equal(new Pn532Firmware(0x32, 1, 6, 7), reader.Firmware);
        Assert.Equal((Pn532Status.Ok, null), await reader.PollAsync(cts.Token));

        await using var cards = reader.ReadCardsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        emulator.PresentCard([0x04, 0xA1, 0xB2, 0xC3]);
        Assert.True(await cards.MoveNextAsync());
        Assert.Equal("04A1B2C3", cards.Current.CardId);

        // The same card keeps answering every poll: not reported again. Then a 7-byte card.
        var next = cards.MoveNextAsync().AsTask();
        var polls = emulator.CommandsHandled;
        await WaitUntilAsync(() => emulator.CommandsHandled >= polls + 5);
        Assert.False(next.IsCompleted, log.ToString());
        emulator.PresentCard([0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
        Assert.True(await next);
        Assert.True("04112233445566" == cards.Current.CardId, log.ToString());

        // Taken away (a poll without it) and put back: a new presentation.
        next = cards.MoveNextAsync().AsTask();
        emulator.RemoveCard();
        polls = emulator.CommandsHandled;
        await WaitUntilAsync(() => emulator.CommandsHandled >= polls + 2);
        Assert.False(next.IsCompleted);
        emulator.PresentCard([0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66]);
        Assert.True(await next);
        Assert.Equal("04112233445566", cards.Current.CardId);
        Assert.Equal(0, reader.Statistics.Errors);
    }

    [Fact]
    public async Task A_silent_reader_gives_a_typed_no_ack_instead_of_hanging()
    {
        await using var pty = await SocatPty.StartAsync();
        await using var emulator = new Pn532Emulator(LinuxSerialPort.Open(pty.DevicePath, 115200)) { Silent = true };
        emulator.Start();
        await using var reader = new Pn532Reader(LinuxSerialPort.Open(pty.HostPath, 115200),
            new Pn532Options { AckTimeout = TimeSpan.FromMilliseconds(150) }, TimeProvider.System);
        Assert.False(await reader.InitializeAsync(CancellationToken.None));
        Assert.Equal(Pn532Status.NoAck, (await reader.CallAsync(0x02, [], CancellationToken.None)).Status);
    }

    [Fact]
    public async Task An_unknown_command_gets_the_error_frame_as_a_typed_status()
    {
        await using var pty = await SocatPty.StartAsync();
        await using var emulator = new Pn532Emulator(LinuxSerialPort.Open(pty.DevicePath, 115200));
        emulator.Start();
        await using var reader = new Pn532Reader(LinuxSerialPort.Open(pty.HostPath, 115200), new Pn532Options { AckTimeout = TimeSpan.FromSeconds(2), ResponseTimeout = TimeSpan.FromSeconds(2) }, TimeProvider.System);
        Assert.True(await reader.InitializeAsync(CancellationToken.None));
        Assert.Equal(Pn532Status.ErrorFrame, (await reader.CallAsync(0x77, [0x01], CancellationToken.None)).Status);
        // And the reader still works afterwards.
        Assert.True((await reader.CallAsync(0x02, [], CancellationToken.None)).IsOk);
    }

    [Fact]
    public async Task Without_a_retry_limit_the_poll_times_out_and_the_host_ack_aborts_the_command()
    {
        await using var pty = await SocatPty.StartAsync();
        await using var emulator = new Pn532Emulator(LinuxSerialPort.Open(pty.DevicePath, 115200));
        emulator.Start();
        await using var reader = new Pn532Reader(LinuxSerialPort.Open(pty.HostPath, 115200),
            new Pn532Options { PassiveActivationRetries = 0xFF, ResponseTimeout = TimeSpan.FromMilliseconds(200) }, TimeProvider.System);
        Assert.True(await reader.InitializeAsync(CancellationToken.None));
        Assert.Equal(Pn532Status.Timeout, (await reader.CallAsync(0x4A, [0x01, 0x00], CancellationToken.None)).Status);
        // The abort took: a card arriving after it does not produce a stray late response.
        await WaitUntilAsync(() => emulator.AbortsReceived == 1);
        emulator.PresentCard([1, 2, 3, 4]);
        var fw = await reader.CallAsync(0x02, [], CancellationToken.None);
        Assert.True(fw.IsOk);
        Assert.Equal(new byte[] { 0x32, 1, 6, 7 }, fw.Data);
    }

    [Fact]
    public async Task A_late_answer_to_an_aborted_command_is_skipped_not_taken_for_the_next_response()
    {
        await using var pty = await SocatPty.StartAsync();
        await using var emulator = new Pn532Emulator(LinuxSerialPort.Open(pty.DevicePath, 115200));
        emulator.Start();
        var log = new ListLogger();
        await using var reader = new Pn532Reader(LinuxSerialPort.Open(pty.HostPath, 115200),
            new Pn532Options { PassiveActivationRetries = 0xFF, ResponseTimeout = TimeSpan.FromMilliseconds(200) }, TimeProvider.System, log);
        Assert.True(await reader.InitializeAsync(CancellationToken.None));
        emulator.IgnoreAborts = true; // the chip misses the host's abort ACK...
        Assert.Equal(Pn532Status.Timeout, (await reader.CallAsync(0x4A, [0x01, 0x00], CancellationToken.None)).Status);
        await WaitUntilAsync(() => emulator.AbortsReceived == 1);
        emulator.PresentCard([1, 2, 3, 4]); // ...so the card makes it answer the old InListPassiveTarget late.

        var fw = await reader.CallAsync(0x02, [], CancellationToken.None);
        Assert.True(fw.IsOk);
        Assert.Equal(new byte[] { 0x32, 1, 6, 7 }, fw.Data);
    }

    [Fact]
    public void Presence_uses_the_injected_clock_and_an_empty_poll_ends_a_presentation()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var reader = new Pn532Reader(InMemorySerialPair.Create("x").Host, new Pn532Options(), clock);
        var card = new Pn532Target([4, 3, 2, 1], 0x0004, 0x08);
        Assert.Equal("04030201", reader.Accept(card)!.CardId);
        clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Null(reader.Accept(card));
        clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.NotNull(reader.Accept(card)); // not seen for 0.6 s: a new presentation
        Assert.Null(reader.Accept(null)); // the field is empty
        Assert.NotNull(reader.Accept(card)); // back at once: new presentation
    }

    /// <summary>Waits (bounded) for the emulator to have seen the driver's polls.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(2, timeout.Token);
        }
    }

    internal static List<Pn532Frame> Feed(Pn532FrameParser parser, byte[] stream)
    {
        var frames = new List<Pn532Frame>();
        foreach (var b in stream)
        {
            if (parser.TryPush(b, out var frame))
            {
                do
                {
                    frames.Add(frame!);
                }
                while (parser.TryTake(out frame));
            }
        }

        // The stream ends: a quiet line (the driver flushes after an inter-byte gap).
        parser.Flush();
        while (parser.TryTake(out var rescued))
        {
            frames.Add(rescued!);
        }

        return frames;
    }
}
