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
}
