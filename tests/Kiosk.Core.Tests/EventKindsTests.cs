using System.Text.Json;
using Kiosk.Core.Events;

namespace Kiosk.Core.Tests;

/// <summary>The kind name of an event is its JSON discriminator: the device's journal column, the centre's column and
/// the "kind" on the wire are one name.</summary>
public sealed class EventKindsTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(8));

    private sealed record Stray(DateTimeOffset At) : AttendanceEvent(At);

    [Fact]
    public void Every_declared_event_type_is_named_as_its_serialised_kind()
    {
        Assert.Equal(12, EventKinds.All.Count);
        AttendanceEvent[] samples =
        [
            new Punch("w1", "b", null, PunchMethod.Card, At), new UnknownCard("b", At), new FingerNotRecognised(null, null, At),
            new Excuse("w1", new DateOnly(2026, 3, 2), Session.Morning, ExcuseReason.Meeting, null, "s", EventSource.Secretary, At),
            new LeaveRequest("l", "w1", LeaveType.Personal, new DateOnly(2026, 3, 2), Session.Morning, 1, LeaveState.Requested, null, null, "s", null, At),
            new Outing("w1", At, TimeSpan.FromHours(1), "s", null, At), new InspectionFinding("w1", new DateOnly(2026, 3, 2), Session.Morning, "i", null, At),
            new SecretaryPoints("w1", 2026, 3, 18, "s", At), new Enrolment("w1", 3, "s", At), new SecretaryLogin("s", PunchMethod.Card, At),
            new ClockCorrection("b", 1, 2, TimeSpan.FromSeconds(5), At), new ChainRestarted(4, "r", At),
        ];
        foreach (var e in samples)
        {
            var kind = JsonDocument.Parse(JsonSerializer.Serialize<AttendanceEvent>(e)).RootElement.GetProperty("kind").GetString();
            Assert.Equal(kind, EventKinds.Of(e));
        }

        Assert.Equal(["chain_restarted", "clock_correction", "enrolment", "excuse", "finger_not_recognised", "inspection", "leave",
            "outing", "punch", "secretary_login", "secretary_points", "unknown_card"], samples.Select(EventKinds.Of).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_type_not_declared_on_AttendanceEvent_has_no_kind() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EventKinds.Of(new Stray(At)));
}
