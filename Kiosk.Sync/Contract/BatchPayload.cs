using System.Buffers;
using System.Text.Json;

namespace Kiosk.Sync.Contract;

/// <summary>Writes a signed <see cref="EventBatch"/> message from envelopes already in wire form, byte for byte what
/// <c>SyncJson.Serialize(BatchSignature.Create(...))</c> writes (same property order, names and encoder), without
/// building the envelope objects: the device's cost per event while draining a backlog is a copy (issue 5, drain
/// benchmark). WireEnvelopeTests pins the equality.</summary>
public static class BatchPayload
{
    public static byte[] Sign(DeviceIdentity identity, string batchId, IReadOnlyList<WireEnvelope> events)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Sign(identity, batchId, events, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the signed batch message to <paramref name="output"/> (the pump reuses one buffer).</summary>
    public static void Sign(DeviceIdentity identity, string batchId, IReadOnlyList<WireEnvelope> events, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(events);
        var signature = Convert.ToBase64String(identity.Sign(
            BatchSignature.CanonicalBytes(identity.OfficeId, identity.DeviceId, batchId, events.Count, i => (events[i].Sequence, events[i].Hash))));
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion"u8, EventBatch.CurrentVersion);
            json.WriteString("officeId"u8, identity.OfficeId);
            json.WriteString("deviceId"u8, identity.DeviceId);
            json.WriteString("batchId"u8, batchId);
            json.WriteStartArray("events"u8);
            foreach (var e in events)
            {
                // Our own serialiser's output (WireEnvelope); the centre parses and checks every envelope anyway.
                json.WriteRawValue(e.Json.Span, skipInputValidation: true);
            }

            json.WriteEndArray();
            json.WriteString("signature"u8, signature);
            json.WriteEndObject();
        }
    }
}
