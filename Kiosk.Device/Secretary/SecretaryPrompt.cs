using System.Globalization;
using Kiosk.Core.Roster;
using Kiosk.Device.Devices;
using Kiosk.Device.Hosting;
using Kiosk.Device.Punching;

namespace Kiosk.Device.Secretary;

/// <summary>Secretary mode left by timeout (issue 4: "the mode times out to the idle screen").</summary>
internal sealed class SecretaryTimeoutException : Exception
{
    public SecretaryTimeoutException()
        : base("Secretary mode timed out")
    {
    }

    public SecretaryTimeoutException(string message)
        : base(message)
    {
    }

    public SecretaryTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Keypad dialogue on the 4-line screen: pick from a list (digit selects, ↑/↓ pages, Back leaves),
/// type a number (digits, Back erases, Enter confirms; a card shown counts as its badge number), and page
/// through a list. Every wait is bounded by SecretaryTimeoutSeconds on the injected TimeProvider.</summary>
internal sealed class SecretaryPrompt
{
    /// <summary>Longest wait for a key between two heartbeats: the punch loop's own idle wait.</summary>
    private static readonly TimeSpan BeatEvery = TimeSpan.FromSeconds(1);

    private readonly KioskContext kiosk;
    private readonly Liveness? liveness;

    public SecretaryPrompt(KioskContext kiosk, Liveness? liveness = null)
    {
        this.kiosk = kiosk;
        this.liveness = liveness;
    }

    public KioskContext Kiosk => kiosk;

    /// <summary>The punch loop's heartbeat (null where no watchdog runs).</summary>
    public Liveness? Liveness => liveness;

    public Task ShowAsync(CancellationToken cancellationToken, params string?[] lines) =>
        kiosk.Devices.Display.ShowAsync(ScreenText.Fit(lines), cancellationToken);

    /// <summary>The next key or card; throws <see cref="SecretaryTimeoutException"/> after the idle timeout.
    /// Finger inputs (finger-only polling) are ignored here. Waits in one-second slices and beats the punch loop's
    /// heartbeat before each: the mode runs inside that loop, and a secretary reading a page for longer than the
    /// unit's WatchdogSec (30 s, below the 60 s default timeout) must not get the kiosk restarted by systemd.</summary>
    public async Task<KioskInput> NextAsync(CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(kiosk.Options.SecretaryTimeoutSeconds);
        var started = kiosk.Time.GetTimestamp();
        while (true)
        {
            liveness?.Beat();
            var left = timeout - kiosk.Time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new SecretaryTimeoutException();
            }

            var input = await kiosk.Inputs.ReadAsync(left < BeatEvery ? left : BeatEvery, cancellationToken);
            if (input is KeyInput or CardInput)
            {
                return input;
            }
        }
    }

    /// <summary>Returns the 0-based index chosen, or null for Back.</summary>
    public async Task<int?> ChooseAsync(string title, IReadOnlyList<string> options, CancellationToken cancellationToken)
    {
        const int PerPage = ScreenText.Lines - 1;
        var page = 0;
        var pages = (options.Count + PerPage - 1) / PerPage;
        while (true)
        {
            var lines = new List<string?> { pages > 1 ? title + " " + (page + 1).ToString(CultureInfo.InvariantCulture) + "/" + pages.ToString(CultureInfo.InvariantCulture) : title };
            for (var i = page * PerPage; i < Math.Min(options.Count, (page + 1) * PerPage); i++)
            {
                lines.Add((i + 1).ToString(CultureInfo.InvariantCulture) + " " + options[i]);
            }

            await ShowAsync(cancellationToken, [.. lines]);
            if (await NextAsync(cancellationToken) is not KeyInput { Key: var key })
            {
                continue;
            }

            switch (key.Kind)
            {
                case KeyKind.Digit when key.Digit - '1' is var choice && choice >= 0 && choice < options.Count:
                    return choice;
                case KeyKind.Down:
                    page = (page + 1) % pages;
                    break;
                case KeyKind.Up:
                    page = (page + pages - 1) % pages;
                    break;
                case KeyKind.Back:
                case KeyKind.Menu:
                    return null;
            }
        }
    }

    /// <summary>Typed digits (Enter confirms; an empty entry only when <paramref name="allowEmpty"/>), or the id of a
    /// card shown when <paramref name="acceptCard"/>. Null for Back on an empty entry.</summary>
    public async Task<string?> ReadNumberAsync(string title, string hint, bool acceptCard, CancellationToken cancellationToken, bool masked = false,
        bool allowEmpty = false)
    {
        var typed = string.Empty;
        while (true)
        {
            await ShowAsync(cancellationToken, title, hint, "> " + (masked ? new string('*', typed.Length) : typed));
            switch (await NextAsync(cancellationToken))
            {
                case CardInput card when acceptCard:
                    return card.Card.CardId;
                case KeyInput { Key: { Kind: KeyKind.Digit } digit } when typed.Length < 20:
                    typed += digit.Digit;
                    break;
                case KeyInput { Key.Kind: KeyKind.Enter } when typed.Length > 0 || allowEmpty:
                    return typed;
                case KeyInput { Key.Kind: KeyKind.Back or KeyKind.Menu }:
                    if (typed.Length == 0)
                    {
                        return null;
                    }

                    typed = typed[..^1];
                    break;
            }
        }
    }

    /// <summary>Picks a worker by number or badge (typed or shown). Null for Back or nobody found (said on screen).</summary>
    public async Task<Worker?> ReadWorkerAsync(string title, CancellationToken cancellationToken)
    {
        while (true)
        {
            var typed = await ReadNumberAsync(title, "输入工号或刷卡", acceptCard: true, cancellationToken);
            if (typed is null)
            {
                return null;
            }

            var worker = kiosk.FindWorker(typed);
            if (worker is not null)
            {
                return worker;
            }

            kiosk.Devices.Signal.Refusal();
            await MessageAsync(cancellationToken, "查无此人", typed);
        }
    }

    /// <summary>Shows a message until a key (or the timeout, which then ends the mode).</summary>
    public async Task MessageAsync(CancellationToken cancellationToken, params string?[] lines)
    {
        await ShowAsync(cancellationToken, lines);
        await NextAsync(cancellationToken);
    }

    /// <summary>Pages through lines (title on each page), ↑/↓ to move, any other key leaves.</summary>
    public async Task PagesAsync(string title, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        var pages = Paginate(lines);
        var page = 0;
        while (true)
        {
            var shown = new List<string?> { title + " " + (page + 1).ToString(CultureInfo.InvariantCulture) + "/" + pages.Count.ToString(CultureInfo.InvariantCulture) };
            shown.AddRange(pages[page]);
            await ShowAsync(cancellationToken, [.. shown]);
            if (await NextAsync(cancellationToken) is KeyInput { Key.Kind: var kind } && kind is KeyKind.Down or KeyKind.Up)
            {
                page = kind == KeyKind.Down ? (page + 1) % pages.Count : (page + pages.Count - 1) % pages.Count;
                continue;
            }

            return;
        }
    }

    /// <summary>Splits entries into pages of the three lines under the title, counting screen lines rather than entries:
    /// an entry wider than 16 columns wraps onto two lines (ScreenText.Fit, e.g. "欧阳娜娜 公务外出" or a long IP address),
    /// and is moved whole to the next page instead of pushing the page's last line off the 4-line screen.</summary>
    internal static IReadOnlyList<IReadOnlyList<string>> Paginate(IReadOnlyList<string> entries)
    {
        const int PerPage = ScreenText.Lines - 1;
        var pages = new List<IReadOnlyList<string>>();
        var page = new List<string>();
        foreach (var entry in entries)
        {
            var wrapped = ScreenText.Fit(entry).Lines.Take(PerPage).ToList();
            if (page.Count + wrapped.Count > PerPage)
            {
                pages.Add(page);
                page = [];
            }

            page.AddRange(wrapped);
        }

        if (page.Count > 0 || pages.Count == 0)
        {
            pages.Add(page);
        }

        return pages;
    }
}
