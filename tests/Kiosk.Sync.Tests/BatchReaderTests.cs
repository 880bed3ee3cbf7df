using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Kiosk.Core.Events;
using Kiosk.Sync.Centre;
using Kiosk.Sync.Contract;

namespace Kiosk.Sync.Tests;

/// <summary>The centre reads each received batch with its own one-pass reader (BatchReader, PunchReader for punches)
/// instead of SyncJson. Its claim is that it accepts exactly what SyncJson accepts and builds the same objects, only
/// stricter for a null element of "events", and that every refusal is a JsonException (the centre's "malformed"). These
/// tests hold it to that differentially: real signed batches from the
/// kiosk's own writer (BatchPayload), thousands of mutants of them, each given to both readers.</summary>
public sealed partial class BatchReaderTests
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Every event kind (WireEnvelopeTests.EveryKind, whose completeness that class checks: punches with badge
    /// and finger and with neither), plus punches in the other methods, with only a badge or only a finger, escaped text
    /// and a UTC time with sub-second ticks.</summary>
    private static readonly AttendanceEvent[] Sample =
    [
        .. WireEnvelopeTests.EveryKind,
        new Punch("w4", "00401235", null, PunchMethod.Card, Morning.AddMinutes(1)),
        new Punch("w5", null, 7, PunchMethod.Pin, Morning.AddMinutes(2)),
        new Punch("王\"6\"\\", "0040/1236", 0, PunchMethod.Finger, new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567)),
    ];

    private static readonly byte[] Payload = Signed(Sample);

    /// <summary>Two punches and an unknown card: small enough to cut at every byte.</summary>
    private static readonly byte[] Short = Signed(Sample[..3]);

    [Fact]
    public void The_kiosks_own_batches_are_read_as_SyncJson_reads_them_and_pass_the_centres_checks()
    {
        foreach (var payload in new[] { Payload, Short })
        {
            Assert.Null(Compare(payload));
            var (batch, slices) = Read(payload);
            Assert.Null(BatchChecks.Check(batch, payload, slices));
            var canonical = new byte[payload.Length];
            BatchReader.Read(payload, canonical, out var texts);
            Assert.Null(BatchChecks.Check(batch, payload, slices, new CanonicalTexts(canonical, texts!)));
            using var doc = JsonDocument.Parse(payload);
            Assert.Equal(Encoding.UTF8.GetString(payload), Render(Node.From(doc.RootElement), string.Empty)); // the mutation engine is faithful
        }

        Assert.Equal(Sample, Read(Payload).Batch.Events.Select(e => e.Event));
    }

    [Fact]
    public void The_kiosks_own_batch_is_read_on_the_fast_path_with_a_canonical_text_for_each_plain_punch()
    {
        Read(Payload, out var fast, out var canonicalTexts);
        Assert.True(fast);
        // Every punch of the sample but the one whose worker id needs escapes; the other kinds' bodies go to SyncJson.
        var plain = Sample.OfType<Punch>().Count(p => p.WorkerId.All(char.IsAsciiLetterOrDigit));
        Assert.Equal((5, 4), (Sample.OfType<Punch>().Count(), plain));
        Assert.Equal(plain, canonicalTexts);

        var spaced = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Short).Replace(",\"deviceId\":", ", \"deviceId\":", StringComparison.Ordinal));
        BatchReader.Read(spaced, new byte[spaced.Length], out var none);
        Assert.Null(none); // not the kiosk's exact shape: the general reader
        Assert.Equal(SyncJson.Serialize(Read(Short).Batch), SyncJson.Serialize(Read(spaced).Batch));
    }

    [Fact]
    public void The_comparison_itself_notices_a_different_offset_a_shifted_slice_and_a_missing_envelope()
    {
        var (batch, slices) = Read(Payload);
        var punch = (Punch)batch.Events[0].Event;
        var shifted = batch with { Events = [batch.Events[0] with { Event = punch with { At = punch.At.ToOffset(TimeSpan.Zero) } }, .. batch.Events.Skip(1)] };
        Assert.Equal(punch, ((Punch)shifted.Events[0].Event) with { At = punch.At }); // equal as records, so only the text can tell
        Assert.NotNull(Differences(Payload, shifted, slices, batch));
        Assert.NotNull(Differences(Payload, batch, [.. slices.Select(r => (r.Start.Value + 1)..r.End)], batch));
        Assert.NotNull(Differences(Payload, batch with { Events = [.. batch.Events.Skip(1)] }, slices[1..], batch));
        Assert.Null(Differences(Payload, batch, slices, SyncJson.Deserialize<EventBatch>(Payload)));
    }

    [Fact]
    public void Every_edit_of_a_member_of_the_batch_an_envelope_or_any_event_body_is_accepted_or_refused_alike()
    {
        var catalogue = Catalogue();
        AssertAgree(catalogue.Select(c => (c.Label, Mutate(c.Edit))), atLeast: 2000, fastAtLeast: 500);
    }

    [Fact]
    public void Whitespace_comments_trailing_text_and_other_top_level_values_are_accepted_or_refused_alike()
    {
        AssertAgree(TextMutants(), atLeast: 50);
    }

    [Fact]
    public void A_batch_cut_short_at_any_byte_is_refused_by_both_as_malformed()
    {
        var cuts = Enumerable.Range(0, Short.Length).Select(n => ($"cut to {n} bytes", Short[..n]))
            .Concat(Enumerable.Range(0, Payload.Length / 13).Select(k => ($"full batch cut to {k * 13} bytes", Payload[..(k * 13)])));
        foreach (var (label, cut) in cuts)
        {
            Assert.Null(Compare(cut));
            Assert.ThrowsAny<JsonException>(() => Read(cut));
        }
    }

    [Fact]
    public void Random_combinations_of_edits_and_byte_damage_are_accepted_or_refused_alike()
    {
        var catalogue = Catalogue();
        var damage = from kind in Gen.Choose(0, 4)
                     from at in Gen.Choose(0, Payload.Length + 100)
                     from length in Gen.Choose(1, 12)
                     from token in Gen.Elements(Tokens)
                     select (Kind: kind, At: at, Length: length, Token: token);
        var mutant = from count in Gen.Choose(0, 3)
                     from picks in Gen.Choose(0, catalogue.Count - 1).ArrayOf(count)
                     from gap in Gen.Elements(string.Empty, string.Empty, string.Empty, " ", "\n")
                     from hurt in damage
                     select (Picks: picks, Gap: gap, Damage: hurt);
        int compared = 0, impossible = 0;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(600), Prop.ForAll(mutant.ToArbitrary(), m =>
        {
            var root = Root();
            try
            {
                Array.ForEach(m.Picks, p => catalogue[p].Edit(root));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
            {
                impossible++; // an earlier edit removed what a later one changes: not a combination that exists
                return true;
            }

            var text = Damage(Render(root, m.Gap), m.Damage);
            var problem = Compare(Encoding.UTF8.GetBytes(text));
            Assert.True(problem is null, $"{string.Join(" + ", m.Picks.Select(p => catalogue[p].Label))} + {m.Damage}: {problem}\n{text}");
            compared++;
            return true;
        }));
        // A catalogue whose edits mostly could not be combined would leave this property comparing almost nothing.
        Assert.True(compared >= 2 * impossible && compared + impossible == 600,
            $"{compared} payloads compared, {impossible} combinations skipped as impossible");
    }

    [Fact]
    public void A_null_inside_events_is_refused_where_SyncJson_would_build_a_null_envelope()
    {
        string[] arrays = ["[null]", "[{0}, null]", "[null, {0}]", "[{0},null,{0}]"];
        var text = Encoding.UTF8.GetString(Short);
        var first = Encoding.UTF8.GetString(Short.AsSpan(Read(Short).Slices[0]));
        var start = text.IndexOf("\"events\":", StringComparison.Ordinal) + "\"events\":".Length;
        var end = text.IndexOf("],\"signature\"", StringComparison.Ordinal) + 1;
        foreach (var array in arrays)
        {
            var mutant = Encoding.UTF8.GetBytes(text[..start] + array.Replace("{0}", first, StringComparison.Ordinal) + text[end..]);
            var error = Assert.Throws<JsonException>(() => Read(mutant));
            Assert.Contains(null, SyncJson.Deserialize<EventBatch>(mutant).Events); // SyncJson's side of the one allowed difference
            Assert.Contains("envelope", error.Message, StringComparison.Ordinal);
        }
    }

    /// <remarks>Found by this test: where the readers decode a string themselves (GetString, ValueTextEquals or
    /// TryGetDateTimeOffset), invalid UTF-8 or an escaped lone surrogate threw InvalidOperationException, which the
    /// centre did not record as malformed. BatchReader now turns it into a JsonException.</remarks>
    [Fact]
    public void Invalid_UTF8_or_a_lone_surrogate_in_any_string_is_refused_as_malformed_by_both()
    {
        AssertAgree(EncodingMutants(), atLeast: 60);
    }

    [Fact]
    public void A_punch_in_the_kiosks_shape_is_built_without_the_generic_deserialiser_exactly_as_SyncJson_builds_it()
    {
        foreach (var punch in Sample.OfType<Punch>())
        {
            AssertSamePunch(punch);
        }

        var punches = from worker in ArbMap.Default.GeneratorFor<NonNull<string>>()
                      from badge in ArbMap.Default.GeneratorFor<string?>()
                      from slot in ArbMap.Default.GeneratorFor<int?>()
                      from method in Gen.Elements(Enum.GetValues<PunchMethod>())
                      from ticks in Gen.Choose(0, int.MaxValue)
                      from offset in Gen.Choose(-14 * 60, 14 * 60)
                      select new Punch(worker.Get, badge, slot, method,
                          new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(offset)).AddTicks(ticks * 1000L + (ticks % 9999)));
        Prop.ForAll(punches.ToArbitrary(), p =>
        {
            AssertSamePunch(p);
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("{\"workerId\":\"w1\",\"kind\":\"punch\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"unknown_card\",\"badgeId\":\"b\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"Punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":1,\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"x\":1,\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"workerId\":\"w2\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":null,\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":null,\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"CARD\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":1,\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card, Finger\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":null,\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":1,\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":1,\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":\"3\",\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3.5,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":2147483648,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"yesterday\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":1}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":null}")]
    [InlineData("{\"kind\":\"punch\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\"}")]
    [InlineData("{\"kind\":\"punch\",\"WorkerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("{\"kind\":\"punch\",\"workerId\":\"w1\",\"badgeId\":\"b\",\"fingerSlot\":3,\"method\":\"Card\",\"at\":\"2026-03-02T08:00:00+08:00\",\"note\":{}}")]
    [InlineData("[\"punch\"]")]
    [InlineData("{}")]
    public void PunchReader_leaves_every_shape_but_the_kiosks_own_to_SyncJson(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var reader = new Utf8JsonReader(bytes);
        reader.Read();
        Assert.Null(PunchReader.TryRead(ref reader));
    }

    [Fact]
    public void JournalHash_Matches_agrees_with_Compute_and_only_on_the_exact_lower_case_hex()
    {
        var envelopes = Sample.Select((e, i) => new JournalEnvelope("o1", "d1", i + 1, e, "boot-1", 5, ClockQuality.TrustedRtc, JournalHash.Genesis, string.Empty))
            .Append(new JournalEnvelope("o1", "d1", 9, Sample[0], "boot-1", 5, ClockQuality.Untrusted, new string('f', 300), string.Empty)); // a forged long prev hash
        foreach (var e in envelopes)
        {
            var canonical = JsonSerializer.SerializeToUtf8Bytes(e);
            var hash = JournalHash.Compute(e);
            Assert.True(JournalHash.Matches(e.PrevHash, canonical, hash));
            Assert.Equal(hash, JournalHash.FromCanonical(e.PrevHash, canonical));
            Assert.True(JournalHash.Verify(e with { Hash = hash }));
            for (var i = 0; i < hash.Length; i++)
            {
                var other = hash[..i] + (hash[i] == '0' ? '1' : '0') + hash[(i + 1)..];
                Assert.False(JournalHash.Matches(e.PrevHash, canonical, other), $"digit {i} changed");
            }

            var upper = hash.ToUpperInvariant();
            Assert.NotEqual(hash, upper); // 64 hex digits with no letter would make the next line prove nothing
            Assert.False(JournalHash.Matches(e.PrevHash, canonical, upper));
            Assert.False(JournalHash.Verify(e with { Hash = upper }));
            Assert.False(JournalHash.Matches(e.PrevHash, canonical, hash[..^1]));
            Assert.False(JournalHash.Matches(e.PrevHash, canonical, hash + "0"));
            Assert.False(JournalHash.Matches(e.PrevHash, canonical, string.Empty));
            Assert.False(JournalHash.Matches(e.PrevHash + "0", canonical, hash));
            Assert.False(JournalHash.Matches(e.PrevHash, canonical[..^1], hash));
        }
    }

    /// <summary>BatchReader.Read as the centre calls it. Where the fast path (BatchTemplate) wrote an envelope's
    /// canonical text, it must be byte for byte what EnvelopeText's rewrite makes of the received envelope, the text the
    /// hash check used before; and the general reader must read the same batch.</summary>
    private static (EventBatch Batch, Range[] Slices) Read(byte[] payload) => Read(payload, out _, out _);

    /// <param name="fast">Whether the fast path read it.</param>
    /// <param name="canonicalTexts">How many canonical texts it wrote.</param>
    private static (EventBatch Batch, Range[] Slices) Read(byte[] payload, out bool fast, out int canonicalTexts)
    {
        var buffer = new byte[payload.Length];
        var read = BatchReader.Read(payload, buffer, out var texts);
        (fast, canonicalTexts) = (texts is not null, 0);
        if (texts is null)
        {
            return read;
        }

        var general = BatchReader.ReadGeneral(payload);
        Assert.Equal(general.Slices, read.Slices);
        Assert.Equal(SyncJson.Serialize(general.Batch), SyncJson.Serialize(read.Batch));
        for (var i = 0; i < texts.Length; i++)
        {
            var written = buffer.AsSpan(texts[i]);
            if (written.IsEmpty)
            {
                continue;
            }

            var rewritten = new byte[payload.Length];
            var length = EnvelopeText.Rewrite(payload.AsSpan(read.Slices[i]), rewritten, toUpper: true, emptyHash: true);
            Assert.True(length >= 0 && written.SequenceEqual(rewritten.AsSpan(0, length)),
                $"envelope {i}: canonical text {Encoding.UTF8.GetString(written)}, rewrite {(length < 0 ? "refused" : Encoding.UTF8.GetString(rewritten, 0, length))}");
            canonicalTexts++;
        }

        return read;
    }

    /// <summary>null when both readers agree on <paramref name="mutant"/>: both accept with equal batches and the
    /// slices are the elements of "events", or both refuse (BatchReader with JsonException, the centre's "malformed",
    /// always with JsonException). Otherwise what differs.</summary>
    private static string? Compare(byte[] mutant) => Compare(mutant, out _, out _);

    /// <param name="accepted">Whether BatchReader accepted it.</param>
    /// <param name="fast">Whether BatchReader's fast path read it.</param>
    private static string? Compare(byte[] mutant, out bool accepted, out bool fast)
    {
        fast = false;
        (EventBatch Batch, Range[] Slices)? mine = null;
        EventBatch? theirs = null;
        Exception? myError = null, theirError = null;
        try
        {
            mine = Read(mutant, out fast, out _);
        }
        catch (Exception e)
        {
            myError = e;
        }

        try
        {
            theirs = SyncJson.Deserialize<EventBatch>(mutant);
        }
        catch (Exception e)
        {
            theirError = e;
        }

        accepted = mine is not null;
        if (theirs is not null && theirs.Events.Contains(null!))
        {
            // The one difference BatchReader documents: a null element of "events" is malformed there.
            return myError is JsonException ? null : $"null in events: BatchReader {Outcome(mine, myError)}, it must throw JsonException";
        }

        if (mine is null && theirs is null)
        {
            // Both refuse. BatchReader always says so with a JsonException (the centre's "malformed"), also where
            // SyncJson lets out a NotSupportedException (a body whose "kind" is missing or not first).
            return myError is JsonException
                ? null
                : $"both refuse, but BatchReader throws {Describe(myError)} (SyncJson: {Describe(theirError)})";
        }

        return mine is null || theirs is null
            ? $"BatchReader {Outcome(mine, myError)}, SyncJson {Outcome(theirs, theirError)}"
            : Differences(mutant, mine.Value.Batch, mine.Value.Slices, theirs);
    }

    private static string? Differences(byte[] mutant, EventBatch mine, Range[] slices, EventBatch theirs)
    {
        if ((mine.SchemaVersion, mine.OfficeId, mine.DeviceId, mine.BatchId, mine.Signature, mine.Events.Count)
            != (theirs.SchemaVersion, theirs.OfficeId, theirs.DeviceId, theirs.BatchId, theirs.Signature, theirs.Events.Count))
        {
            return $"both accept, batch fields differ: {mine} vs {theirs}";
        }

        var elements = ElementsOfEvents(mutant);
        if (elements is null || slices.Length != elements.Count)
        {
            return $"{slices.Length} slices for {theirs.Events.Count} envelopes";
        }

        if (!mine.Events.SequenceEqual(theirs.Events) || !SyncJson.Serialize(mine).AsSpan().SequenceEqual(SyncJson.Serialize(theirs)))
        {
            // Records compare DateTimeOffset by instant only: the serialised batch also catches a different offset.
            return $"both accept, the envelopes differ:\n{Encoding.UTF8.GetString(SyncJson.Serialize(mine))}\n{Encoding.UTF8.GetString(SyncJson.Serialize(theirs))}";
        }

        for (var i = 0; i < slices.Length; i++)
        {
            if (slices[i].GetOffsetAndLength(mutant.Length) != elements[i].GetOffsetAndLength(mutant.Length))
            {
                return $"slice {i} is {slices[i]}, element {i} of events is {elements[i]}";
            }
        }

        return null;
    }

    private static string Outcome(object? result, Exception? error) => result is null ? $"refuses ({Describe(error)})" : "accepts";

    private static string Describe(Exception? e) => $"{e?.GetType().Name}: {e?.Message}";

    /// <param name="fastAtLeast">How many mutants BatchReader's fast path must have read (it takes only the kiosk's
    /// exact shape, so only edits that keep that shape reach it).</param>
    private static void AssertAgree(IEnumerable<(string Label, byte[] Text)> mutants, int atLeast, int fastAtLeast = 0)
    {
        var problems = new List<string>();
        int tried = 0, accepted = 0, fast = 0;
        foreach (var (label, text) in mutants)
        {
            tried++;
            if (Compare(text, out var wasAccepted, out var wasFast) is { } problem)
            {
                problems.Add($"{label}: {problem}");
            }

            accepted += wasAccepted ? 1 : 0;
            fast += wasFast ? 1 : 0;
        }


        Assert.True(tried >= atLeast, $"only {tried} mutants");
        Assert.True(problems.Count == 0, $"DISAGREEMENT: BatchReader and SyncJson differ on {problems.Count} of {tried} mutants:\n{string.Join('\n', problems.Take(30))}");
        Assert.InRange(accepted, 1, tried - 1); // mutants on both sides of the line, or the comparison proves little
        Assert.True(fast >= fastAtLeast, $"the fast path read {fast} of {tried} mutants, fewer than {fastAtLeast}");
    }

    private static void AssertSamePunch(Punch punch)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes<AttendanceEvent>(punch, SyncJson.Default.AttendanceEvent);
        var reader = new Utf8JsonReader(body);
        reader.Read();
        var fast = PunchReader.TryRead(ref reader);
        Assert.NotNull(fast);
        Assert.Equal((JsonTokenType.EndObject, body.Length), (reader.TokenType, (int)reader.BytesConsumed));
        var slow = JsonSerializer.Deserialize(body, SyncJson.Default.AttendanceEvent);
        Assert.Equal(slow, fast);
        Assert.Equal(punch, fast);
        Assert.Equal(body, JsonSerializer.SerializeToUtf8Bytes<AttendanceEvent>(fast, SyncJson.Default.AttendanceEvent)); // the offset too
    }

    private static byte[] Signed(IReadOnlyList<AttendanceEvent> events)
    {
        using var identity = DeviceIdentity.CreateEphemeral("o1", "d1");
        var prev = JournalHash.Genesis;
        var wire = new List<WireEnvelope>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = JournalHash.Seal(new JournalEnvelope("o1", "d1", i + 1, events[i], "boot-1", 1000L * (i + 1), (ClockQuality)(i % 4), prev, string.Empty));
            prev = e.Hash;
            wire.Add(WireEnvelope.From(e));
        }

        return BatchPayload.Sign(identity, "b-7", wire);
    }
}
