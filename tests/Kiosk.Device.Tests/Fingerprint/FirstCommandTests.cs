using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.Fingerprint;

/// <summary>"The first VfyPwd after opening sometimes gets no reply; with two rigs in parallel a module once never
/// answered": waiting reads used to poll() on thread-pool threads, so idle readers (card reader, other modules,
/// emulators) starved the pool and the reply sat unread until the driver gave up. Waits now happen on each port's
/// own thread; these tests hold many readers idle at once and expect the first command to be answered.</summary>
[Collection(SocatPty.Collection)]
public sealed class FirstCommandTests
{
    private const int IdleReaders = 32;

    [Fact]
    public async Task The_first_vfypwd_after_open_is_answered_while_many_other_ports_wait_idle()
    {
        await using var quiet = await SocatPty.StartAsync();
        var idle = Enumerable.Range(0, IdleReaders).Select(_ => LinuxSerialPort.Open(quiet.HostPath, 9600)).ToList();
        using var stop = new CancellationTokenSource();
        // Each waits far longer than the driver's 2 s reply timeout for a byte that never comes.
        var waits = idle.Select(p => p.ReadAsync(new byte[1], TimeSpan.FromSeconds(30), stop.Token).AsTask()).ToList();
        try
        {
            await using var rig = await FingerprintRig.StartAsync();
            var reply = await rig.Reader.Module.VerifyPasswordAsync(CancellationToken.None);
            Assert.Equal(R30xCode.Ok, reply.Code);
            Assert.Equal(R30xCode.Ok, await rig.Reader.InitializeAsync(CancellationToken.None));
            Assert.All(waits, w => Assert.False(w.IsCompleted));
        }
        finally
        {
            await StopAsync(stop, waits, idle);
        }
    }

    [Fact]
    public async Task Two_rigs_opened_at_once_both_answer_their_first_command()
    {
        var rigs = await Task.WhenAll(FingerprintRig.StartAsync(), FingerprintRig.StartAsync());
        try
        {
            var codes = await Task.WhenAll(rigs.Select(r => r.Reader.InitializeAsync(CancellationToken.None)));
            Assert.All(codes, c => Assert.Equal(R30xCode.Ok, c));
            Assert.All(rigs, r => Assert.Equal(0, r.Reader.Module.Statistics.Errors));
        }
        finally
        {
            foreach (var rig in rigs)
            {
                await rig.DisposeAsync();
            }
        }
    }

    private static async Task StopAsync(CancellationTokenSource stop, List<Task<int>> waits, List<LinuxSerialPort> idle)
    {
        await stop.CancelAsync();
        foreach (var wait in waits)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        }

        foreach (var port in idle)
        {
            port.Dispose();
        }
    }
}
