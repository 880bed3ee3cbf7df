using System.Text.Json;
using System.Text.Json.Serialization;

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
    public static byte[] Serialize<T>(T message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)Default.GetTypeInfo(typeof(T))!);

    /// <summary>Parses a message; throws <see cref="JsonException"/> with the reason when it is malformed.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8)
        where T : class =>
        JsonSerializer.Deserialize(utf8, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)Default.GetTypeInfo(typeof(T))!)
        ?? throw new JsonException($"{typeof(T).Name}: the message is JSON null");
}
