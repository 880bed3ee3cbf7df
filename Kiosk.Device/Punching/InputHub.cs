using System.Threading.Channels;
using Kiosk.Device.Devices;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Punching;

internal abstract record KioskInput;

internal sealed record CardInput(CardPresented Card) : KioskInput;

internal sealed record KeyInput(KeyPress Key) : KioskInput;

internal sealed record FingerInput(FingerMatch Match) : KioskInput;

/// <summary>All inputs of the door in one queue, handled one at a time by the punch flow: a card shown while
/// the previous worker's finger is being read waits its turn instead of being lost. Readers that fail
/// (unplugged, port gone) are logged and retried; the others keep working.</summary>
/// <remarks>The queue runs the punch flow's continuation on the writer's thread (a card frame parsed on the serial
/// port's waiter thread is handled there, up to the flow's next await): no thread-pool wake-up between "card read"
/// and "punch committed", which was most of the punch path's p99 (bench/Kiosk.Device.Bench, issue 4). The flow never
/// blocks on a read, so the writer gets its thread back at the flow's next await. A consequence for callers of
/// <see cref="Post"/>: the screen may already have changed when Post returns.</remarks>
internal sealed class InputHub : IAsyncDisposable
{
    private readonly Channel<KioskInput> queue = Channel.CreateUnbounded<KioskInput>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly TimeProvider time;
    private readonly ILogger log;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> pumps = [];

    public InputHub(TimeProvider time, ILogger log)
    {
        this.time = time;
        this.log = log;
    }

    /// <summary>Held while a use case talks to the fingerprint module, so finger polling never interleaves.</summary>
    public SemaphoreSlim FingerGate { get; } = new(1, 1);

    public void Start(KioskDevices devices, bool pollFinger)
    {
        ArgumentNullException.ThrowIfNull(devices);
        foreach (var reader in devices.CardReaders)
        {
            pumps.Add(Task.Run(() => PumpCardsAsync(reader, stop.Token)));
        }

        if (devices.Keypad is { } keypad)
        {
            pumps.Add(Task.Run(() => PumpKeysAsync(keypad, stop.Token)));
        }

        if (pollFinger && devices.Fingerprint is { } finger)
        {
            pumps.Add(Task.Run(() => PollFingerAsync(finger, stop.Token)));
        }
    }

    /// <summary>For tests: queue an input as if a device produced it (the simulator goes through its own devices).</summary>
    public bool Post(KioskInput input) => queue.Writer.TryWrite(input);

    /// <summary>The next input, or null when <paramref name="timeout"/> passed first.</summary>
    public async Task<KioskInput?> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (queue.Reader.TryRead(out var ready))
        {
            return ready;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waiting = queue.Reader.WaitToReadAsync(wait.Token).AsTask();
        var delay = Task.Delay(timeout, time, wait.Token);
        await Task.WhenAny(waiting, delay);
        // Synchronous on purpose: CancelAsync queues the cancellation to the thread pool and awaits it, an extra thread
        // hop between "card read" and "punch handled" on every punch (bench/Kiosk.Device.Bench p99). The callbacks it runs
        // (the delay's timer, the channel's waiter) only unregister themselves.
        wait.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        return queue.Reader.TryRead(out var input) ? input : null;
    }

    private async Task PumpCardsAsync(ICardReader reader, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var card in reader.ReadCardsAsync(cancellationToken))
                {
                    queue.Writer.TryWrite(new CardInput(card));
                }

                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                log.LogError(ex, "Card reader {Reader} failed; retrying in 5 s. Punches with other readers continue", reader.Name);
                await Task.Delay(TimeSpan.FromSeconds(5), time, cancellationToken);
            }
        }
    }

    private async Task PumpKeysAsync(IKeypad keypad, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var key in keypad.ReadKeysAsync(cancellationToken))
                {
                    queue.Writer.TryWrite(new KeyInput(key));
                }

                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                log.LogError(ex, "Keypad failed; retrying in 5 s");
                await Task.Delay(TimeSpan.FromSeconds(5), time, cancellationToken);
            }
        }
    }

    /// <summary>Finger-only offices: ask the module for a finger in short rounds while nobody else uses it.
    /// After a finger was read, wait two seconds so one touch is one punch.</summary>
    private async Task PollFingerAsync(IFingerprintReader finger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            FingerMatch match;
            await FingerGate.WaitAsync(cancellationToken);
            try
            {
                match = await finger.IdentifyAsync(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                FingerGate.Release();
            }

            if (match.Status is FingerStatus.Ok or FingerStatus.NoMatch)
            {
                queue.Writer.TryWrite(new FingerInput(match));
                await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken);
            }
            else if (match.Status is FingerStatus.CommunicationError or FingerStatus.ModuleError)
            {
                log.LogError("Fingerprint module: {Status} {Detail}; retrying in 5 s", match.Status, match.Detail);
                await Task.Delay(TimeSpan.FromSeconds(5), time, cancellationToken);
            }
            else
            {
                // No finger this round: let a card or key in before asking again.
                await Task.Yield();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(pumps);
        }
        catch (OperationCanceledException)
        {
            // Expected when the pumps stop.
        }

        stop.Dispose();
        FingerGate.Dispose();
        queue.Writer.TryComplete();
    }
}
