using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Kiosk.Sync.Contract;

/// <summary>Source-generated JSON for the wire (issue 5). Nullable annotations and required constructor parameters
/// are enforced, so a message missing a field is malformed, not a half-filled object.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowDuplicateProperties = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(EventBatch))]
[JsonSerializable(typeof(Ack))]
[JsonSerializable(typeof(DeviceStatus))]
[JsonSerializable(typeof(OfficeConfig))]
[JsonSerializable(typeof(TimeMessage))]
[JsonSerializable(typeof(Kiosk.Core.Events.JournalEnvelope))]
public sealed partial class SyncJson : JsonSerializerContext
{
    public static byte[] Serialize<T>(T message) => JsonSerializer.SerializeToUtf8Bytes(message, TypeInfo<T>.Value);

    /// <summary>Parses a message; throws <see cref="JsonException"/> with the reason when it is malformed.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, TypeInfo<T>.Value)
                ?? throw new JsonException($"{typeof(T).Name}: the message is JSON null");
        }
        catch (NotSupportedException ex)
        {
            throw Malformed<T>(ex);
        }
    }

    /// <summary>Parses a message held as text (a stored envelope); same rules as the UTF-8 overload.</summary>
    public static T Deserialize<T>(string json)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, TypeInfo<T>.Value)
                ?? throw new JsonException($"{typeof(T).Name}: the message is JSON null");
        }
        catch (NotSupportedException ex)
        {
            throw Malformed<T>(ex);
        }
    }

    /// <summary>Reads one event body starting at the reader's StartObject (the centre's one-pass batch reader); same
    /// rules and errors as <see cref="Deserialize{T}(ReadOnlySpan{byte})"/>.</summary>
    internal static Kiosk.Core.Events.AttendanceEvent ReadEvent(ref Utf8JsonReader reader)
    {
        try
        {
            return JsonSerializer.Deserialize(ref reader, Default.AttendanceEvent)
                ?? throw new JsonException("an envelope's event is null");
        }
        catch (NotSupportedException ex)
        {
            throw Malformed<Kiosk.Core.Events.AttendanceEvent>(ex);
        }
    }

    /// <summary>System.Text.Json refuses an event body whose "kind" is missing or not its first member with a
    /// NotSupportedException; for the wire that is simply a malformed message (found by BatchReaderTests).</summary>
    private static JsonException Malformed<T>(NotSupportedException ex) =>
        new($"{typeof(T).Name}: an event has no \"kind\" as its first member: {ex.Message}", ex);

    /// <summary>The metadata of T, looked up once: Default.GetTypeInfo(Type) on every call cost more than the
    /// (de)serialisation itself (measured: ~12 µs of overhead per envelope, bench/Kiosk.Sync.Bench).</summary>
    private static class TypeInfo<T>
    {
        public static readonly JsonTypeInfo<T> Value = (JsonTypeInfo<T>)(Default.GetTypeInfo(typeof(T))
            ?? throw new InvalidOperationException($"{typeof(T).Name} is not part of the wire contract (SyncJson)"));
    }
}
