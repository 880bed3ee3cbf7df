using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.UsbCardReader;
using Kiosk.Device.Linux.Input;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.Input;

public sealed class UsbCardReaderTests
{
    private static readonly ManualTimeProvider Time = new(DateTimeOffset.UnixEpoch);

    private static async Task<(List<CardPresented> Cards, int Rejected)> ReadAllAsync(byte[] events, CardIdFormat format)
    {
        var reader = new UsbCardReader(new StreamInputSource(new MemoryStream(events), InputEventLayout.Bits64, "test-kbd"), format, Time);
        await using (reader)
        {
            var cards = new List<CardPresented>();
            await foreach (var card in reader.ReadCardsAsync(CancellationToken.None))
            {
                cards.Add(card);
            }

            return (cards, reader.Rejected);
        }
    }

    [Fact]
    public async Task Ten_digits_then_enter_become_one_card_in_the_office_format()
    {
        var (cards, rejected) = await ReadAllAsync(EventBytes.Typed64("0001623026\n"), CardIdFormat.Decimal10);

        var card = Assert.Single(cards);
        Assert.Equal("0001623026", card.CardId);
        Assert.Equal("usb:test-kbd", card.ReaderName);
        Assert.Equal(0, rejected);
    }

    [Fact]
    public async Task A_decimal_badge_is_converted_to_hex_for_a_hex_office()
    {
        // 1623026 = 0x0018C3F2, the RDM6300 example card of §2.
        var (cards, _) = await ReadAllAsync(EventBytes.Typed64("1623026\n"), CardIdFormat.Hex);

        Assert.Equal("0018C3F2", Assert.Single(cards).CardId);
    }

    [Fact]
    public async Task Keypad_digits_and_keypad_enter_work_like_the_top_row()
    {
        // KP1 KP2 KP3 KPENTER (§4 codes)
        byte[] events = [.. EventBytes.Keystroke64(79, 0), .. EventBytes.Keystroke64(80, 5), .. EventBytes.Keystroke64(81, 10), .. EventBytes.Keystroke64(96, 15)];

        var (cards, _) = await ReadAllAsync(events, CardIdFormat.Decimal10);

        Assert.Equal("0000000123", Assert.Single(cards).CardId);
    }

    [Fact]
    public async Task A_stray_key_spoils_only_its_own_entry_and_is_counted()
    {
        var (cards, rejected) = await ReadAllAsync(EventBytes.Typed64("12 34\n0001623026\n"), CardIdFormat.Decimal10);

        Assert.Equal("0001623026", Assert.Single(cards).CardId);
        Assert.Equal(1, rejected);
    }

    [Fact]
    public async Task An_entry_interrupted_for_longer_than_a_reader_pauses_is_dropped()
    {
        byte[] events = [.. EventBytes.Typed64("123", startMs: 1_000), .. EventBytes.Typed64("4567\n", startMs: 1_700)];

        var (cards, rejected) = await ReadAllAsync(events, CardIdFormat.Decimal10);

        Assert.Equal("0000004567", Assert.Single(cards).CardId);
        Assert.Equal(1, rejected);
    }

    [Fact]
    public async Task Digits_without_enter_at_the_end_of_input_are_dropped_not_guessed()
    {
        var (cards, rejected) = await ReadAllAsync(EventBytes.Typed64("0001623"), CardIdFormat.Decimal10);

        Assert.Empty(cards);
        Assert.Equal(1, rejected);
    }

    [Fact]
    public async Task Shift_and_lone_enters_are_harmless()
    {
        byte[] events = [.. EventBytes.Keystroke64(42, 0), .. EventBytes.Typed64("\n\nABCD\n", startMs: 5)];

        var (cards, rejected) = await ReadAllAsync(events, CardIdFormat.Hex);

        Assert.Equal("ABCD", Assert.Single(cards).CardId);
        Assert.Equal(0, rejected);
    }

    [Fact]
    public async Task An_overlong_entry_is_rejected()
    {
        var (cards, rejected) = await ReadAllAsync(EventBytes.Typed64(new string('1', 25) + "\n"), CardIdFormat.Decimal10);

        Assert.Empty(cards);
        Assert.Equal(1, rejected);
    }

    [Fact]
    public void Random_noise_between_good_badges_never_yields_a_wrong_or_extra_card()
    {
        // A segment is a good badge (a number typed then Enter) or noise (random keys with at least one key no reader
        // sends, then Enter). The law: exactly the good badges come out, in order, and each noise entry is counted.
        var keys = "0123456789ABCDEF ".ToCharArray();
        var noise = Gen.ArrayOf(Gen.Elements(keys)).Select(k => new string(k) + " ");
        var good = Gen.Choose(0, int.MaxValue).Select(n => (uint)n);
        var segment = Gen.OneOf(good.Select(n => (Good: true, Text: n.ToString(CultureInfo.InvariantCulture))), noise.Select(t => (Good: false, Text: t)));
        var property = Prop.ForAll(Gen.ListOf(segment).ToArbitrary(), segments =>
        {
            var typed = string.Concat(segments.Select(s => s.Text + "\n"));
            var (cards, rejected) = ReadAllAsync(EventBytes.Typed64(typed), CardIdFormat.Decimal10).GetAwaiter().GetResult();
            var expected = segments.Where(s => s.Good).Select(s => uint.Parse(s.Text, CultureInfo.InvariantCulture).ToString("D10", CultureInfo.InvariantCulture));
            return cards.Select(c => c.CardId).SequenceEqual(expected) && rejected == segments.Count(s => !s.Good);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }
}
