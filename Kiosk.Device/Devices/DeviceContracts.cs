namespace Kiosk.Device.Devices;

// What the punch flow and secretary mode see of the hardware. Each driver folder implements one of these
// (real device or emulator), so the flow never knows which reader, module or screen it talks to.

/// <summary>A card was presented. CardId is already in the office's badge-number format
/// (see CardIdFormat). Every reader type (RDM6300, PN532, USB keyboard wedge) produces this.</summary>
public sealed record CardPresented(string CardId, string ReaderName, TimeSpan MonotonicTimestamp);

public interface ICardReader : IAsyncDisposable
{
    string Name { get; }

    /// <summary>One event per presentation: a card held in the field is reported once.</summary>
    IAsyncEnumerable<CardPresented> ReadCardsAsync(CancellationToken cancellationToken);
}

/// <summary>Outcome of a fingerprint operation, never a bare exception (issue 3).</summary>
public enum FingerStatus
{
    Ok,
    NoFinger,
    NoMatch,
    CaptureFailed,
    TooFewFeatures,
    MergeFailed,
    LibraryFull,
    Timeout,
    CommunicationError,
    ModuleError,
}

public sealed record FingerMatch(FingerStatus Status, int Slot = -1, int Score = 0, string? Detail = null)
{
    public bool IsMatch => Status == FingerStatus.Ok && Slot >= 0;
}

public enum EnrolStep { PlaceFinger, LiftFinger, PlaceAgain, Storing }

public interface IFingerprintReader : IAsyncDisposable
{
    /// <summary>1:N: waits up to <paramref name="wait"/> for a finger, then searches the whole library.</summary>
    Task<FingerMatch> IdentifyAsync(TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>1:1 against one slot (card-then-finger offices).</summary>
    Task<FingerMatch> VerifyAsync(int slot, TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>Two captures with "lift finger" between, merge, store in a free slot. Returns the slot.</summary>
    Task<FingerMatch> EnrolAsync(IProgress<EnrolStep>? progress, TimeSpan waitPerCapture, CancellationToken cancellationToken);

    Task<FingerStatus> DeleteAsync(int slot, CancellationToken cancellationToken);
}

/// <summary>What the screen shows: up to four lines of text (8 hanzi or 16 ASCII each on the 128×64 OLED).</summary>
public sealed record Screen(IReadOnlyList<string> Lines, bool Inverted = false)
{
    public static Screen Of(params string[] lines) => new(lines);
}

public interface IDisplay
{
    Task ShowAsync(Screen screen, CancellationToken cancellationToken);
}

public enum KeyKind { Digit, Enter, Back, Up, Down, Menu, Other }

public sealed record KeyPress(KeyKind Kind, char Digit = '\0');

public interface IKeypad : IAsyncDisposable
{
    IAsyncEnumerable<KeyPress> ReadKeysAsync(CancellationToken cancellationToken);
}

/// <summary>Buzzer and LEDs. Patterns run in the background: calls return at once (issue 3).</summary>
public interface ISignal
{
    void Success();
    void Refusal();
    void Attention();
}
