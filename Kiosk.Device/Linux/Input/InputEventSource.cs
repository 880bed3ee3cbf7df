using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Linux.Input;

/// <summary>Where keypad and wedge-reader drivers get their events: a stream reader (tests, emulators) or a device that
/// is reopened when it is unplugged and comes back.</summary>
public interface IInputEventSource : IAsyncDisposable
{
    string Name { get; }

    IAsyncEnumerable<InputEvent> ReadEventsAsync(CancellationToken cancellationToken);
}

/// <summary>A stream of events (a pipe, a recorded file, an emulator) as a source; ends when the stream ends.</summary>
public sealed class StreamInputSource(Stream stream, InputEventLayout layout, string name) : IInputEventSource
{
    private readonly EvdevReader _reader = new(stream, layout);

    public string Name { get; } = name;

    public IAsyncEnumerable<InputEvent> ReadEventsAsync(CancellationToken cancellationToken) => _reader.ReadEventsAsync(cancellationToken);

    public ValueTask DisposeAsync() => _reader.DisposeAsync();
}

/// <summary>A real /dev/input device by path. When it disappears (ENODEV on unplug) or cannot be opened yet, the
/// failure is logged and counted and the path retried every <see cref="RetryDelay"/>: a USB reader pulled out and put
/// back keeps working without a restart (issue 3 "a port that disappears and comes back").</summary>
public sealed class ReopeningEvdevSource(string path, bool grab, TimeProvider time, ILogger? log = null, InputEventLayout? layout = null) : IInputEventSource
{
    private readonly ILogger _log = log ?? NullLogger.Instance;
    private int _failures;

    public static TimeSpan RetryDelay { get; } = TimeSpan.FromSeconds(2);

    public string Name => path;

    public int Failures => Volatile.Read(ref _failures);

    public async IAsyncEnumerable<InputEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            EvdevDevice? device = null;
            try
            {
                device = EvdevDevice.Open(path, grab, layout);
                _log.LogInformation("Input device {Path} open: {Name}, grabbed {Grabbed}", path, device.Name, device.Grabbed);
            }
            catch (IOException ex)
            {
                Fail(ex, "open");
            }

            if (device is not null)
            {
                await using (device.ConfigureAwait(false))
                {
                    var events = device.Reader.ReadEventsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                    await using (events.ConfigureAwait(false))
                    {
                        while (true)
                        {
                            bool more;
                            try
                            {
                                more = await events.MoveNextAsync().ConfigureAwait(false);
                            }
                            catch (IOException ex)
                            {
                                Fail(ex, "read");
                                break;
                            }

                            if (!more)
                            {
                                _log.LogWarning("Input device {Path} ended its stream; reopening", path);
                                break;
                            }

                            yield return events.Current;
                        }
                    }
                }
            }

            await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Fail(IOException ex, string operation)
    {
        var failures = Interlocked.Increment(ref _failures);
        _log.LogWarning("Input device {Path} {Operation} failed ({Failures} so far), retrying in {Delay}: {Reason}", path, operation, failures, RetryDelay, ex.Message);
    }
}
