using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kiosk.Sync.Testing;

/// <summary>Keeps every log entry (level, template, rendered text, exception) so tests can assert what was logged.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Template, string Text, Exception? Error)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        var template = state is IReadOnlyList<KeyValuePair<string, object?>> kv
            ? kv.FirstOrDefault(p => p.Key == "{OriginalFormat}").Value as string ?? string.Empty
            : string.Empty;
        Entries.Enqueue((logLevel, template, formatter(state, exception), exception));
    }
}
