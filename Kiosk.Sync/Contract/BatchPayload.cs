using System.Buffers;
using System.Text.Json;

namespace Kiosk.Sync.Contract;

/// <summary>Writes a signed <see cref="EventBatch"/> message from envelopes already in wire form, byte for byte what
/// <c>SyncJson.Serialize(BatchSignature.Create(...))</c> writes (same property order, names and encoder), without
/// building the envelope objects: the device's cost per event while draining a backlog is a copy (issue 5, drain
/// benchmark). ContractTests pins the equality.</summary>
public static class BatchPayload
{
    public static byte[] Sign(DeviceIdentity identity, string batchId, IReadOnlyList<WireEnvelope> events)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(events);
        var signature = Convert.ToBase64String(identity.Sign(
            BatchSignature.CanonicalBytes(identity.OfficeId, identity.DeviceId, batchId, events.Count, i => (events[i].Sequence, events[i].Hash))));
        var size = 256;
        foreach (var e in events)
        {
            size += e.Json.Length + 1;
        }

        var buffer = new ArrayBufferWriter<byte>(size);
        using (var json = new Utf8JsonWriter(buffer))
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

        return buffer.WrittenSpan.ToArray();
    }
}
