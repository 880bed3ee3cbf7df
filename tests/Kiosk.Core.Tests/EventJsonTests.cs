using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kiosk.Core.Events;

namespace Kiosk.Core.Tests;

public sealed class EventJsonTests
{
    [Fact]
    public void A_punch_round_trips_through_json_with_its_kind_and_local_offset()
    {
        var at = new DateTimeOffset(2026, 3, 2, 8, 0, 59, TimeSpan.FromHours(8));
        AttendanceEvent punch = new Punch("W001", "0001623026", 5, PunchMethod.CardAndFinger, at);

        var json = JsonSerializer.Serialize(punch);
        var back = JsonSerializer.Deserialize<AttendanceEvent>(json);

        Assert.Contains("\"kind\":\"punch\"", json, StringComparison.Ordinal);
        Assert.Contains("+08:00", json, StringComparison.Ordinal);
        Assert.Equal(punch, back);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(3000)]
    public void The_chain_hash_is_sha256_over_the_previous_hash_a_newline_and_the_text_with_the_hash_emptied(int noteLength)
    {
        // Decision 2's definition, computed here independently: journals in the field must keep verifying whatever the
        // implementation does (one native call for an envelope, several for a long one).
        var at = new DateTimeOffset(2026, 3, 2, 8, 0, 59, TimeSpan.FromHours(8));
        var excuse = new Excuse("W001", DateOnly.FromDateTime(at.DateTime), Session.Morning, ExcuseReason.Meeting,
            new string('会', noteLength), "sec", EventSource.Secretary, at);
        var envelope = new JournalEnvelope("o1", "d1", 7, excuse, "boot", 42, ClockQuality.Synchronised, new string('a', 64), string.Empty);

        var expected = Convert.ToHexStringLower(SHA256.HashData(
            [.. Encoding.ASCII.GetBytes(envelope.PrevHash + "\n"), .. JsonSerializer.SerializeToUtf8Bytes(envelope)]));

        Assert.Equal(expected, JournalHash.Compute(envelope));
        Assert.True(JournalHash.Verify(envelope with { Hash = expected }));
        Assert.False(JournalHash.Verify(envelope with { Hash = expected, PrevHash = JournalHash.Genesis }));
    }
}
