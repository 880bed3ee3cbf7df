using System.Globalization;

namespace Kiosk.Device.Linux.Gpio;

public enum GpioBias
{
    AsIs,
    PullUp,
    PullDown,
    Disabled,
}

[Flags]
public enum GpioEdges
{
    None = 0,
    Rising = 1,
    Falling = 2,
    Both = Rising | Falling,
}

/// <summary>An open GPIO chip. Lines are requested in sets (one line fd per set) through GPIO_V2_GET_LINE_IOCTL
/// (hardware-protocols.md §5, kernel ≥ 5.10).</summary>
public sealed class GpioChip : IDisposable
{
    private readonly IGpioFiles _files;
    private readonly IGpioFile _file;

    private GpioChip(IGpioFiles files, IGpioFile file, GpioChipInfo info)
    {
        _files = files;
        _file = file;
        Info = info;
    }

    public GpioChipInfo Info { get; }

    public string Path => _file.Path;

    /// <summary>Finds the 40-pin header's chip by its label, never by number: the Pi 5 header moved from gpiochip4
    /// to gpiochip0 in kernel 6.6.45 (§5). <paramref name="label"/> overrides the known labels.</summary>
    public static GpioChip OpenHeader(IGpioFiles files, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var wanted = label is null ? GpioV2Abi.HeaderChipLabels : [label];
        var seen = new List<string>();
        foreach (var path in files.ChipPaths())
        {
            IGpioFile? file = null;
            try
            {
                file = files.Open(path);
                var info = ReadInfo(file);
                if (wanted.Contains(info.Label, StringComparer.Ordinal))
                {
                    var chip = new GpioChip(files, file, info);
                    file = null;
                    return chip;
                }

                seen.Add(string.Create(CultureInfo.InvariantCulture, $"{path} '{info.Label}' ({info.Lines} lines)"));
            }
            catch (GpioException ex)
            {
                seen.Add($"{path}: {ex.Message}");
            }
            finally
            {
                file?.Dispose();
            }
        }

        var found = seen.Count == 0 ? "no /dev/gpiochip* at all" : string.Join("; ", seen);
        throw new GpioException($"No GPIO chip labelled {string.Join(" / ", wanted)} (the 40-pin header). Found: {found}.");
    }

    /// <summary>Opens a chip by path (for a HAT on another chip, or a probe pointed at it by hand).</summary>
    public static GpioChip Open(IGpioFiles files, string path)
    {
        ArgumentNullException.ThrowIfNull(files);
        var file = files.Open(path);
        try
        {
            return new GpioChip(files, file, ReadInfo(file));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Output lines (buzzer, LEDs), driven to <paramref name="initial"/> atomically at request time with an
    /// OUTPUT_VALUES attribute, so a LED never flashes on between request and first set (§5 "Output example").</summary>
    public GpioLines RequestOutputs(string consumer, IReadOnlyList<int> offsets, IReadOnlyList<bool> initial, bool activeLow = false)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(initial);
        if (initial.Count != offsets.Count)
        {
            throw new ArgumentException("One initial value per output line.", nameof(initial));
        }

        ulong values = 0;
        for (var i = 0; i < initial.Count; i++)
        {
            values |= initial[i] ? 1UL << i : 0;
        }

        var flags = GpioLineFlags.Output | (activeLow ? GpioLineFlags.ActiveLow : 0);
        var attributes = new[] { new GpioV2Abi.LineAttribute(GpioV2Abi.AttrOutputValues, values, AllLines(offsets.Count)) };
        return Request(consumer, offsets, flags, attributes, isOutput: true);
    }

    /// <summary>Input lines with edge events and kernel debounce (buttons, the R503 WAKEUP pin, which is low while a
    /// finger touches: PullUp + Falling). §5 "Button example": flags 0x124 plus a DEBOUNCE attribute.</summary>
    public GpioLines RequestInputs(string consumer, IReadOnlyList<int> offsets, GpioBias bias, GpioEdges edges, TimeSpan debounce, bool activeLow = false)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        var flags = GpioLineFlags.Input
            | (activeLow ? GpioLineFlags.ActiveLow : 0)
            | ((edges & GpioEdges.Rising) != 0 ? GpioLineFlags.EdgeRising : 0)
            | ((edges & GpioEdges.Falling) != 0 ? GpioLineFlags.EdgeFalling : 0)
            | bias switch
            {
                GpioBias.PullUp => GpioLineFlags.PullUp,
                GpioBias.PullDown => GpioLineFlags.PullDown,
                GpioBias.Disabled => GpioLineFlags.BiasDisabled,
                _ => GpioLineFlags.None,
            };
        var attributes = new List<GpioV2Abi.LineAttribute>();
        if (debounce > TimeSpan.Zero)
        {
            attributes.Add(new GpioV2Abi.LineAttribute(GpioV2Abi.AttrDebounce, (ulong)(debounce.Ticks / 10), AllLines(offsets.Count)));
        }

        return Request(consumer, offsets, flags, attributes, isOutput: false);
    }

    public void Dispose() => _file.Dispose();

    private static ulong AllLines(int count) => count >= 64 ? ulong.MaxValue : (1UL << count) - 1;

    private static GpioChipInfo ReadInfo(IGpioFile file)
    {
        Span<byte> buffer = stackalloc byte[GpioV2Abi.ChipInfoSize];
        buffer.Clear();
        file.Ioctl(GpioV2Abi.GetChipInfoIoctl, buffer);
        return GpioV2Abi.DecodeChipInfo(buffer);
    }

    private GpioLines Request(string consumer, IReadOnlyList<int> offsets, GpioLineFlags flags, IReadOnlyList<GpioV2Abi.LineAttribute> attributes, bool isOutput)
    {
        foreach (var offset in offsets)
        {
            if (offset < 0 || offset >= Info.Lines)
            {
                throw new ArgumentOutOfRangeException(nameof(offsets), offset, $"{Path} '{Info.Label}' has lines 0..{Info.Lines - 1}.");
            }
        }

        var request = GpioV2Abi.EncodeLineRequest(offsets.Select(o => (uint)o).ToList(), consumer, flags, attributes);
        try
        {
            _file.Ioctl(GpioV2Abi.GetLineIoctl, request);
        }
        catch (GpioException ex)
        {
            // EBUSY here means another program (or a dtoverlay) holds the line.
            throw new GpioException($"Requesting lines {string.Join(",", offsets)} on {Path} '{Info.Label}' failed: {ex.Message}", ex) { Errno = ex.Errno };
        }

        var fd = GpioV2Abi.DecodeLineFd(request);
        var description = string.Create(CultureInfo.InvariantCulture, $"{Path} lines {string.Join(",", offsets)} (fd {fd})");
        return new GpioLines(_files.Adopt(fd, description), offsets, isOutput);
    }
}
