using Kiosk.Device.Linux.Serial;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Devices.Fingerprint;

/// <summary>Identify / verify / enrol / delete on an R30x-family module (hardware-protocols.md §1
/// "Enrolment" and "Identify"). Every path ends in a typed <see cref="FingerMatch"/> or
/// <see cref="FingerStatus"/>; the module is (re)initialised lazily: VfyPwd (every variant has it, unlike the
/// model-specific handshakes), then ReadSysPara for the library capacity and packet size. Again whenever
/// <see cref="R30xModule.ResyncNeeded"/> says a reply was lost, garbled or the port went away.</summary>
public sealed class FingerprintReader : IFingerprintReader
{
    private readonly R30xOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _operation = new(1, 1);
    private volatile bool _needsInit = true;

    public FingerprintReader(ISerialTransport port, R30xOptions options, TimeProvider time, ILogger? log = null)
    {
        _options = options;
        _time = time;
        _log = log ?? NullLogger.Instance;
        Module = new R30xModule(port, options, time, log);
    }

    public R30xModule Module { get; }

    /// <summary>From ReadSysPara once initialised (null before).</summary>
    public R30xSystemParameters? Parameters { get; private set; }

    /// <summary>VfyPwd + ReadSysPara. Returns the code of the first step that failed.</summary>
    public async Task<R30xCode> InitializeAsync(CancellationToken cancellationToken)
    {
        // Until this succeeds, operations initialise again: stale parameters must not outlive a failed re-init.
        _needsInit = true;
        var password = await Module.VerifyPasswordAsync(cancellationToken);
        if (!password.IsOk)
        {
            _log.LogWarning("Fingerprint module on {Port}: VfyPwd failed: {Meaning}", Module.PortName, R30xCodes.Describe(password.Code));
            return password.Code;
        }

        var (code, parameters) = await Module.ReadSystemParametersAsync(cancellationToken);
        if (parameters is null)
        {
            _log.LogWarning("Fingerprint module on {Port}: ReadSysPara failed: {Meaning}", Module.PortName, R30xCodes.Describe(code));
            return code;
        }

        Parameters = parameters;
        _needsInit = false;
        _log.LogInformation("Fingerprint module on {Port}: capacity {Capacity}, security {Security}, packet {Packet} bytes",
            Module.PortName, parameters.Capacity, parameters.SecurityLevel, parameters.PacketBytes);
        return R30xCode.Ok;
    }

    public Task<FingerMatch> IdentifyAsync(TimeSpan wait, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            var captured = await CaptureIntoAsync(1, wait, cancellationToken);
            if (captured != R30xCode.Ok)
            {
                return Result(captured);
            }

            // Search the whole library: capacity from ReadSysPara (§1 "Identify").
            var (code, slot, score) = await Module.SearchAsync(1, 0, Parameters!.Capacity, cancellationToken);
            return code == R30xCode.Ok ? new FingerMatch(FingerStatus.Ok, slot, score) : Result(code);
        }, cancellationToken);

    public Task<FingerMatch> VerifyAsync(int slot, TimeSpan wait, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            ArgumentOutOfRangeException.ThrowIfNegative(slot);
            var captured = await CaptureIntoAsync(1, wait, cancellationToken);
            if (captured != R30xCode.Ok)
            {
                return Result(captured);
            }

            var load = await Module.LoadCharAsync(2, slot, cancellationToken);
            if (load is R30xCode.TemplateInvalid or R30xCode.PageOutOfRange or R30xCode.TemplateEmpty)
            {
                // Nothing (valid) stored in that slot: the finger cannot be this worker's.
                return new FingerMatch(FingerStatus.NoMatch, slot, 0, $"slot {slot}: {R30xCodes.Describe(load)}");
            }

            if (load != R30xCode.Ok)
            {
                return Result(load);
            }

            var (code, score) = await Module.MatchAsync(cancellationToken);
            return code == R30xCode.Ok ? new FingerMatch(FingerStatus.Ok, slot, score) : Result(code);
        }, cancellationToken);

    public Task<FingerMatch> EnrolAsync(IProgress<EnrolStep>? progress, TimeSpan waitPerCapture, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            var (freeCode, slot) = await FindFreeSlotAsync(cancellationToken);
            if (freeCode != R30xCode.Ok)
            {
                return Result(freeCode);
            }

            // §1 "Enrolment": GenImg→Img2Tz(1)→finger off→GenImg→Img2Tz(2)→RegModel→Store(1,id).
            progress?.Report(EnrolStep.PlaceFinger);
            var first = await CaptureIntoAsync(1, waitPerCapture, cancellationToken);
            if (first != R30xCode.Ok)
            {
                return Result(first);
            }

            progress?.Report(EnrolStep.LiftFinger);
            var lifted = await WaitForLiftAsync(waitPerCapture, cancellationToken);
            if (lifted != R30xCode.NoFinger)
            {
                return lifted == R30xCode.Ok
                    ? new FingerMatch(FingerStatus.Timeout, -1, 0, "the finger was not lifted")
                    : Result(lifted);
            }

            progress?.Report(EnrolStep.PlaceAgain);
            var second = await CaptureIntoAsync(2, waitPerCapture, cancellationToken);
            if (second != R30xCode.Ok)
            {
                return Result(second);
            }

            var merged = await Module.RegisterModelAsync(cancellationToken);
            if (merged != R30xCode.Ok)
            {
                return Result(merged);
            }

            progress?.Report(EnrolStep.Storing);
            var stored = await Module.StoreAsync(1, slot, cancellationToken);
            if (stored != R30xCode.Ok)
            {
                return Result(stored);
            }

            _log.LogInformation("Fingerprint enrolled into slot {Slot} on {Port}", slot, Module.PortName);
            return new FingerMatch(FingerStatus.Ok, slot, 0);
        }, cancellationToken);

    public async Task<FingerStatus> DeleteAsync(int slot, CancellationToken cancellationToken)
    {
        var match = await RunAsync(async () =>
        {
            var code = await Module.DeleteAsync(slot, 1, cancellationToken);
            return code == R30xCode.Ok ? new FingerMatch(FingerStatus.Ok, slot) : Result(code);
        }, cancellationToken);
        return match.Status;
    }

    /// <summary>Slots in use, read from the index table pages (§1 ReadIndexTable, LSB first).</summary>
    public async Task<(R30xCode Code, IReadOnlyList<int> Slots)> ListSlotsAsync(CancellationToken cancellationToken)
    {
        var used = new List<int>();
        var capacity = Parameters?.Capacity ?? 1000;
        for (var page = 0; page * 256 < capacity && page < 4; page++)
        {
            var (code, table) = await Module.ReadIndexTableAsync(page, cancellationToken);
            if (code != R30xCode.Ok)
            {
                return (code, used);
            }

            for (var i = 0; i < 256; i++)
            {
                var slot = (page * 256) + i;
                if (slot < capacity && (table[i / 8] & (1 << (i % 8))) != 0)
                {
                    used.Add(slot);
                }
            }
        }

        return (R30xCode.Ok, used);
    }

    public ValueTask DisposeAsync()
    {
        Module.Dispose();
        _operation.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The lowest slot below the capacity that the index table shows free (§1 "Enrolment": store in a free
    /// slot from the index table).</summary>
    private async Task<(R30xCode Code, int Slot)> FindFreeSlotAsync(CancellationToken cancellationToken)
    {
        var (code, used) = await ListSlotsAsync(cancellationToken);
        if (code != R30xCode.Ok)
        {
            return (code, -1);
        }

        // ListSlotsAsync returns the used slots in ascending order: the first gap is the lowest free slot.
        var free = 0;
        foreach (var slot in used)
        {
            if (slot != free)
            {
                break;
            }

            free++;
        }

        return free < Parameters!.Capacity ? (R30xCode.Ok, free) : (R30xCode.LibraryFull, -1);
    }

    /// <summary>Polls GenImg until a finger is imaged or <paramref name="wait"/> passes, then Img2Tz.</summary>
    private async Task<R30xCode> CaptureIntoAsync(byte buffer, TimeSpan wait, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            var code = await Module.CaptureImageAsync(cancellationToken);
            if (code == R30xCode.Ok)
            {
                return await Module.ImageToBufferAsync(buffer, cancellationToken);
            }

            if (code != R30xCode.NoFinger || _time.GetElapsedTime(started) >= wait)
            {
                return code;
            }

            await Task.Delay(_options.FingerPollInterval, _time, cancellationToken);
        }
    }

    /// <summary>Polls GenImg until it says "no finger" (02). Returns Ok if the finger stayed the whole time.</summary>
    private async Task<R30xCode> WaitForLiftAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            var code = await Module.CaptureImageAsync(cancellationToken);
            if (code is not (R30xCode.Ok or R30xCode.CaptureFailed) || _time.GetElapsedTime(started) >= wait)
            {
                return code;
            }

            await Task.Delay(_options.FingerPollInterval, _time, cancellationToken);
        }
    }

    private async Task<FingerMatch> RunAsync(Func<Task<FingerMatch>> operation, CancellationToken cancellationToken)
    {
        await _operation.WaitAsync(cancellationToken);
        try
        {
            // _needsInit is cleared only with Parameters set, so it also covers "not initialised yet".
            if (_needsInit || Module.ResyncNeeded)
            {
                var init = await InitializeAsync(cancellationToken);
                if (init != R30xCode.Ok)
                {
                    return Result(init);
                }
            }

            // A lost or garbled reply sets Module.ResyncNeeded (decided where the R30x code is known), so the next
            // operation verifies the password again; module answers (a finger not lifted, code 26) do not.
            return await operation();
        }
        finally
        {
            _operation.Release();
        }
    }

    private static FingerMatch Result(R30xCode code) =>
        new(R30xCodes.ToStatus(code), -1, 0, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"0x{(int)code:X2} {R30xCodes.Describe(code)}"));
}
