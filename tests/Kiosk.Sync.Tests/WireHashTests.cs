using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Kiosk.Core.Events;
using Kiosk.Sync.Centre;
using Kiosk.Sync.Contract;

namespace Kiosk.Sync.Tests;

/// <summary>The centre checks each envelope's hash from its received bytes (WireHash) and falls back to the
/// original re-serialising check; these tests pin that the fast check agrees with JournalHash and never accepts
/// altered content.</summary>
public sealed class WireHashTests
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(8));

    private static JournalEnvelope Sealed(AttendanceEvent ev, long seq = 7) => JournalHash.Seal(
        new JournalEnvelope("o1", "d1", seq, ev, "boot-1", 1234, ClockQuality.Synchronised, JournalHash.Genesis, string.Empty));

    [Fact]
    public void The_wire_bytes_of_every_event_kind_prove_the_same_hash_JournalHash_computes()
    {
        // Every kind AttendanceEvent declares (WireEnvelopeTests checks the sample is complete), plus a quoted note.
        AttendanceEvent[] events =
        [
            .. WireEnvelopeTests.EveryKind,
            new Outing("w1", Morning, TimeSpan.FromMinutes(90), "sec", "走访 \"quoted\"", Morning),
        ];
        foreach (var e in events.Select(ev => Sealed(ev)))
        {
            Assert.True(WireHash.Matches(SyncJson.Serialize(e), e.PrevHash, e.Hash), e.Event.GetType().Name);
        }
    }

    [Fact]
    public void Any_changed_byte_of_the_content_fails_the_fast_check()
    {
        var e = Sealed(new Punch("w1", "00401234", null, PunchMethod.Card, Morning));
        var wire = SyncJson.Serialize(e);
        Prop.ForAll(Gen.Choose(0, wire.Length - 1).ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (at, flip) =>
        {
            var changed = (byte[])wire.Clone();
            changed[at] ^= (byte)flip;
            var text = Encoding.UTF8.GetString(wire);
            var hashStart = text.IndexOf(e.Hash, StringComparison.Ordinal);
            // Bytes inside the hash value are not content (the hash is compared separately). Any other change fails
            // the fast check, except a property name's first letter changing case ("officeId" → "OfficeId"), which the
            // wire contract's case-sensitive parser refuses as a missing field: either way the altered text is never
            // taken as this envelope.
            return (at >= hashStart && at < hashStart + e.Hash.Length)
                || !WireHash.Matches(changed, e.PrevHash, e.Hash)
                || !ParsesAs(changed, e);
        }).QuickCheckThrowOnFailure();
        Assert.False(WireHash.Matches(wire, e.PrevHash, JournalHash.Genesis));
        Assert.False(WireHash.Matches(wire, JournalHash.Genesis.Replace('0', '1'), e.Hash));
    }

    private static bool ParsesAs(byte[] wire, JournalEnvelope expected)
    {
        try
        {
            return SyncJson.Deserialize<JournalEnvelope>(wire) == expected;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    [Fact]
    public void Wire_text_in_another_shape_is_not_proven_fast_but_still_accepted_by_the_centre()
    {
        var e = Sealed(new Punch("w1", "00401234", null, PunchMethod.Card, Morning));
        var spaced = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(SyncJson.Serialize(e)).Replace(",", ", ", StringComparison.Ordinal));

        Assert.False(WireHash.Matches(spaced, e.PrevHash, e.Hash));
        var batch = new EventBatch(1, "o1", "d1", "b1", [SyncJson.Deserialize<JournalEnvelope>(spaced)], "sig");
        Assert.Null(BatchChecks.Check(batch, spaced.AsMemory(), [0..spaced.Length]));
        var forged = batch with { Events = [e with { Event = new Punch("w2", "00401234", null, PunchMethod.Card, Morning) }] };
        Assert.Equal(RejectReasons.HashMismatch, BatchChecks.Check(forged, spaced.AsMemory(), [0..spaced.Length])?.Reason);
    }

    [Fact]
    public void The_stored_local_time_text_is_the_round_trip_format_without_offset()
    {
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Choose(0, 9_999_999).ToArbitrary(), (seconds, ticks) =>
        {
            var t = new DateTime(2000, 1, 1).AddSeconds(seconds).AddTicks(ticks);
            return InboxStore.LocalText(t) == t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void OpenSSL_with_its_digest_fetched_once_gives_dotnets_SHA256_for_any_input_on_any_thread()
    {
        // The centre's envelope check hashes through NativeSha256; this machine (and CI's Debian) has libcrypto.so.3,
        // so the native path is the one compared, not the fallback.
        Assert.True(NativeSha256.UsesOpenSsl);
        var prop = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var input = bytes ?? [];
            Span<byte> native = stackalloc byte[32];
            NativeSha256.Hash(input, native);
            return native.SequenceEqual(SHA256.HashData(input));
        });
        Check.QuickThrowOnFailure(prop);
        var large = new byte[70_000];
        Random.Shared.NextBytes(large);
        var expected = SHA256.HashData(large);
        Parallel.For(0, 64, _ =>
        {
            var digest = new byte[32];
            NativeSha256.Hash(large, digest);
            Assert.Equal(expected, digest);
        });
    }
}
