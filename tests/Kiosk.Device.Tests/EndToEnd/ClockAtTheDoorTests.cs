using Kiosk.Core.Events;
using Kiosk.Device.Journal;

namespace Kiosk.Device.Tests.EndToEnd;

[Collection("kiosk rig")]
public sealed class ClockAtTheDoorTests
{
    private static readonly DateTimeOffset RealMorning = new(2026, 3, 2, 7, 58, 0, KioskRig.Beijing);

    [Fact]
    public async Task A_punch_taken_a_year_behind_is_shown_flagged_and_corrected_once_the_clock_synchronises()
    {
        await using var rig = await KioskRig.StartAsync([KioskRig.W("1001", "张三", "0001623026", 1)], RealMorning.AddYears(-1));
        rig.Sources.Synchronised = false;

        var screen = await rig.TapAsync("0001623026", 1);
        Assert.Equal("时钟未校准", screen.Lines[^1]);
        var punch = Assert.Single(rig.Temp.Journal.ReadAfter(0, 10));
        Assert.Equal(ClockQuality.Untrusted, punch.Clock);
        var untrustedAt = punch.At;

        // NTP steps the wall clock to the real morning and timesyncd writes its marker.
        rig.Time.JumpTo(RealMorning.AddMinutes(1));
        rig.Sources.Synchronised = true;
        JournalRow? correctionRow = null;
        for (var i = 0; i < 300 && correctionRow is null; i++)
        {
            await Task.Delay(20);
            correctionRow = rig.Temp.Journal.ReadAfter(1, 10).FirstOrDefault(r => r.Kind == "clock_correction");
        }

        Assert.NotNull(correctionRow);
        var correction = Assert.IsType<ClockCorrection>(correctionRow.Envelope().Event);
        Assert.Equal((1L, 1L), (correction.FromSequence, correction.ToSequence));
        var corrected = untrustedAt + correction.Offset;
        Assert.InRange(corrected, RealMorning.AddSeconds(-5), RealMorning.AddMinutes(1));
        Assert.Equal(ClockQuality.Synchronised, correctionRow.Clock);

        // History is not rewritten: the punch keeps its recorded time and flag.
        var again = rig.Temp.Journal.ReadAfter(0, 1)[0];
        Assert.Equal((untrustedAt, ClockQuality.Untrusted, punch.Hash), (again.At, again.Clock, again.Hash));
        Assert.True(JournalIntegrity.Check(rig.Temp.Journal).Healthy);
    }
}
