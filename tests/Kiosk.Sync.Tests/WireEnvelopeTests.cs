using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;

namespace Kiosk.Sync.Tests;

/// <summary>The device sends its journal's stored texts rewritten to the wire form (EnvelopeText) inside batches it
/// writes itself (BatchPayload). These tests pin that both are byte for byte what SyncJson writes from the objects,
/// for every event kind, so the shortcut changes nothing on the wire.</summary>
public sealed class WireEnvelopeTests
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(8));

    /// <summary>One event of every kind AttendanceEvent declares, with Chinese text, quotes and nulls.</summary>
    internal static readonly AttendanceEvent[] EveryKind =
    [
        new Punch("w1", "00401234", 3, PunchMethod.CardAndFinger, Morning),
        new Punch("w2", null, null, PunchMethod.Finger, Morning.AddSeconds(1)),
        new UnknownCard("DEADBEEF", Morning),
        new FingerNotRecognised(null, "w2", Morning),
        new Excuse("w1", new DateOnly(2026, 3, 2), Session.Morning, ExcuseReason.Meeting, "区里开会 \"quoted\" <b>&", "sec", EventSource.Secretary, Morning),
        new LeaveRequest("l-1", "w1", LeaveType.Personal, new DateOnly(2026, 3, 3), Session.Afternoon, 3, LeaveState.Requested, null, null, "sec", "家里有事", Morning),
        new Outing("w1", Morning, TimeSpan.FromMinutes(90), "sec", "走访", Morning),
        new InspectionFinding("w3", new DateOnly(2026, 3, 2), Session.Afternoon, "街道督查", null, Morning),
        new SecretaryPoints("w1", 2026, 3, 18, "sec", Morning),
        new Enrolment("w1", 12, "sec", Morning),
        new SecretaryLogin("sec", PunchMethod.CardAndFinger, Morning),
        new ClockCorrection("boot-1", 3, 9, TimeSpan.FromSeconds(-31536000.5), Morning),
        new ChainRestarted(41, "hash of 42 does not match", Morning),
    ];

    [Fact]
    public void Every_event_kind_declared_on_AttendanceEvent_is_in_the_sample()
    {
        var declared = typeof(AttendanceEvent).GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonDerivedTypeAttribute), false)
            .Cast<System.Text.Json.Serialization.JsonDerivedTypeAttribute>().Select(a => a.DerivedType);
        Assert.Equal(declared.Order(TypeOrder.Instance), EveryKind.Select(e => e.GetType()).Distinct().Order(TypeOrder.Instance));
    }

    [Fact]
    public void The_stored_text_rewritten_for_the_wire_is_exactly_what_SyncJson_writes_for_every_event_kind()
    {
        foreach (var e in EveryKind.Select((ev, i) => Seal(ev, i + 1)))
        {
            var stored = JsonSerializer.Serialize(e);
            var wire = WireEnvelope.FromStoredUtf8(e.Sequence, e.Hash, Encoding.UTF8.GetBytes(stored));
            Assert.Equal(Encoding.UTF8.GetString(SyncJson.Serialize(e)), Encoding.UTF8.GetString(wire.Json.Span));
            Assert.Equal((e.Sequence, e.Hash), (wire.Sequence, wire.Hash));
        }
    }

    [Fact]
    public void Any_worker_text_survives_the_rewrite_unchanged()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>().Filter(s => s is not null), ArbMap.Default.ArbFor<string>(), (id, note) =>
        {
            var e = Seal(new Excuse(id, new DateOnly(2026, 3, 2), Session.Morning, ExcuseReason.Other, note, "sec", EventSource.Secretary, Morning), 5);
            var wire = WireEnvelope.FromStoredUtf8(e.Sequence, e.Hash, JsonSerializer.SerializeToUtf8Bytes(e));
            return wire.Json.Span.SequenceEqual(SyncJson.Serialize(e));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_stored_punch_rewritten_by_its_shape_is_byte_for_byte_what_the_byte_scanner_makes_of_it()
    {
        var plain = Gen.Elements("w1", "w041", "00401234", "A-7", "x y", "{}[],:").Select(s => (string?)s);
        var any = ArbMap.Default.GeneratorFor<string?>();
        // Mostly plain ids (the shape path), some arbitrary text (escapes, quotes: the byte scanner's).
        var id = Gen.Frequency((3, plain), (1, any));
        var punches = from worker in id
                      from badge in id
                      from slot in ArbMap.Default.GeneratorFor<int?>()
                      from method in Gen.Elements(Enum.GetValues<PunchMethod>())
                      from ticks in Gen.Choose(0, int.MaxValue)
                      from seq in Gen.Choose(1, int.MaxValue)
                      select Seal(new Punch(worker ?? "w", badge, slot, method, Morning.AddTicks(ticks * 1000L)), seq);
        var byShape = 0;
        Prop.ForAll(punches.ToArbitrary(), e =>
        {
            if (SameAsScanner(JsonSerializer.SerializeToUtf8Bytes(e)))
            {
                byShape++;
            }
        }).QuickCheckThrowOnFailure();
        Assert.True(byShape >= 25, $"only {byShape} of 100 punches took the shape path");
    }

    [Fact]
    public void A_stored_punch_damaged_anywhere_is_rewritten_alike_or_left_to_the_byte_scanner()
    {
        var stored = JsonSerializer.SerializeToUtf8Bytes(Seal(new Punch("w1", "00401234", 3, PunchMethod.CardAndFinger, Morning), 9));
        Assert.True(SameAsScanner(stored));
        int byShape = 0, left = 0;
        for (var i = 0; i < stored.Length; i++)
        {
            foreach (var b in "\" {}[],:0aA-n"u8.ToArray())
            {
                var changed = (byte[])stored.Clone();
                changed[i] = b;
                byte[] inserted = [.. stored[..i], b, .. stored[i..]];
                byte[] removed = [.. stored[..i], .. stored[(i + 1)..]];
                foreach (var mutant in new[] { changed, inserted, removed })
                {
                    _ = SameAsScanner(mutant) ? byShape++ : left++;
                }
            }
        }

        // Both sides of the line were exercised: damage inside a value keeps the shape, damage to its frame does not.
        Assert.True(byShape > 1000 && left > 1000, $"{byShape} mutants took the shape path, {left} were left to the scanner");
    }

    /// <summary>Whether the shape path took <paramref name="stored"/>; asserts that where it did, its bytes are the byte
    /// scanner's, and that where it did not, it left the text untouched.</summary>
    private static bool SameAsScanner(byte[] stored)
    {
        var byShape = (byte[])stored.Clone();
        var byScanner = (byte[])stored.Clone();
        var taken = StoredPunch.ToWireInPlace(byShape);
        var scanned = EnvelopeText.Rewrite(byScanner, byScanner, toUpper: false, emptyHash: false);
        if (taken)
        {
            Assert.Equal(stored.Length, scanned);
            Assert.Equal(Encoding.UTF8.GetString(byScanner), Encoding.UTF8.GetString(byShape));
        }
        else
        {
            Assert.Equal(stored, byShape);
        }

        return taken;
    }

    [Fact]
    public void A_stored_text_the_rewrite_cannot_take_is_parsed_and_serialised_instead()
    {
        var e = Seal(new Punch("w1", "00401234", null, PunchMethod.Card, Morning), 7);
        var spaced = JsonSerializer.Serialize(e, new JsonSerializerOptions { WriteIndented = true });

        Assert.False(EnvelopeText.StoredToWireInPlace(Encoding.UTF8.GetBytes("{\"IPAddress\":\"x\"}")));
        Assert.Equal(SyncJson.Serialize(e), WireEnvelope.FromStoredUtf8(7, e.Hash, Encoding.UTF8.GetBytes(spaced)).Json.ToArray());
        Assert.Throws<JsonException>(() => WireEnvelope.FromStoredUtf8(8, e.Hash, Encoding.UTF8.GetBytes(spaced)));
    }

    [Fact]
    public void A_batch_written_from_wire_envelopes_is_byte_for_byte_the_serialised_signed_batch()
    {
        using var identity = DeviceIdentity.CreateEphemeral("o1", "d1");
        var envelopes = EveryKind.Select((ev, i) => Seal(ev, i + 1)).ToList();
        var payload = BatchPayload.Sign(identity, "b-7", envelopes.Select(e => WireEnvelope.FromStoredUtf8(e.Sequence, e.Hash, JsonSerializer.SerializeToUtf8Bytes(e))).ToList());

        var parsed = SyncJson.Deserialize<EventBatch>(payload);
        using var key = BatchSignature.ImportPublicKey(identity.PublicKeyPem);
        Assert.True(BatchSignature.Verify(parsed, key));
        Assert.Equal(envelopes, parsed.Events);
        // ECDSA signatures are randomised: compare with the same signature in the object form.
        var expected = new EventBatch(EventBatch.CurrentVersion, "o1", "d1", "b-7", envelopes, parsed.Signature);
        Assert.Equal(Encoding.UTF8.GetString(SyncJson.Serialize(expected)), Encoding.UTF8.GetString(payload));
    }

    private static JournalEnvelope Seal(AttendanceEvent ev, long seq) => JournalHash.Seal(
        new JournalEnvelope("o1", "d1", seq, ev, "boot-1", 1234, ClockQuality.Synchronised, JournalHash.Genesis, string.Empty));

    private sealed class TypeOrder : IComparer<Type>
    {
        public static readonly TypeOrder Instance = new();

        public int Compare(Type? x, Type? y) => string.CompareOrdinal(x?.FullName, y?.FullName);
    }
}
