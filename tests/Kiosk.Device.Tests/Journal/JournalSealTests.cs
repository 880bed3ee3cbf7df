using Kiosk.Core.Events;
using Kiosk.Device.Journal;

namespace Kiosk.Device.Tests.Journal;

/// <summary>The journal seals with one serialisation (JournalSeal); the result must be byte for byte what the
/// shared JournalHash and the default serialisation give, or the centre would reject the chain.</summary>
public sealed class JournalSealTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 8, 0, 59, 123, TimeSpan.FromHours(8));

    public static TheoryData<string> Badges => ["0001623026", "张三的卡", "a\"b\\c", "\"Hash\":\"\"}", "\u0001\n", ""];

    [Theory]
    [MemberData(nameof(Badges))]
    public void A_single_serialisation_seal_equals_the_shared_hash_and_the_default_serialisation(string badge)
    {
        foreach (var prev in new[] { JournalHash.Genesis, new string('a', 64) })
        {
            AttendanceEvent[] events = [new Punch("w1", badge, 3, PunchMethod.CardAndFinger, At), new UnknownCard(badge, At)];
            foreach (var evt in events)
            {
                var unsealed = new JournalEnvelope("office-1", "kiosk-1", 42, evt, "boot", 1234, ClockQuality.Synchronised, prev, string.Empty);

                var (sealedEnvelope, json) = JournalSeal.Seal(unsealed);

                var expected = JournalHash.Seal(unsealed);
                Assert.Equal(expected.Hash, sealedEnvelope.Hash);
                Assert.Equal(JournalJson.Serialize(expected), json);
                Assert.True(JournalHash.Verify(JournalJson.Parse(json)));
            }
        }
    }
}
