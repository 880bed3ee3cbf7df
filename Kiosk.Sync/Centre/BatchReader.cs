using System.Text.Json;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;

namespace Kiosk.Sync.Centre;

/// <summary>Reads an event batch as received (docs/protocol.md, "Messages") in one pass, and notes where each envelope
/// lies in the payload, so the centre can check its hash and store it verbatim without locating it again.
///
/// Why not <see cref="SyncJson"/>: System.Text.Json binds a nine-parameter record such as JournalEnvelope through its
/// generic "large constructor" path (every argument boxed into an object array and matched by name) and then a second
/// reader pass was needed to find the envelopes' bytes. Together that was the largest CPU cost of an event at the
/// centre (bench/Kiosk.Sync.Bench `--stages`). This reader accepts exactly what SyncJson accepts for the envelope and
/// batch members (case-sensitive camelCase names, every member present, no nulls, no duplicates, unknown members
/// skipped, integers only where the contract has integers; BatchReaderTests compares the two on mutated payloads) and
/// hands each envelope's "event" to SyncJson itself, so the event bodies are validated by the contract's own rules
/// (except a punch in exactly the kiosk's shape, which <see cref="PunchReader"/> builds the same way, faster).
/// It is stricter in two places: a null inside "events" is malformed here, where SyncJson would build a null
/// envelope; and every refusal is a <see cref="JsonException"/> (also for text that is not valid UTF-8, which the
/// reader's own string decoding reports as InvalidOperationException).</summary>
internal static class BatchReader
{
    /// <summary>The batch and each envelope's byte range in <paramref name="payload"/>; throws
    /// <see cref="JsonException"/> naming what is wrong. A batch in exactly the kiosk's shape is read by
    /// <see cref="BatchTemplate"/>, which also writes each punch envelope's canonical text (what JournalHash hashes,
    /// the same bytes as <see cref="EnvelopeText"/>'s rewrite) into <paramref name="canonical"/> (at least as long as
    /// the payload): <paramref name="canonicalTexts"/> gives each envelope's range there, empty where it has none, and
    /// is null when the batch was read by the general reader.</summary>
    public static (EventBatch Batch, Range[] Slices) Read(ReadOnlySpan<byte> payload, Span<byte> canonical, out Range[]? canonicalTexts)
    {
        if (BatchTemplate.TryRead(payload, canonical) is { } fast)
        {
            canonicalTexts = fast.Canonical;
            return (fast.Batch, fast.Slices);
        }

        canonicalTexts = null;
        return ReadGeneral(payload);
    }

    /// <summary>The general reader: any batch SyncJson accepts (see the class summary).</summary>
    internal static (EventBatch Batch, Range[] Slices) ReadGeneral(ReadOnlySpan<byte> payload)
    {
        try
        {
            return ReadBatch(payload);
        }
        catch (InvalidOperationException ex)
        {
            // Invalid UTF-8 or a lone escaped surrogate in a string the reader decodes itself (SyncJson reports the same
            // as a JsonException): malformed, so the centre records and rejects it like any other.
            throw new JsonException("the batch holds text that is not valid UTF-8: " + ex.Message, ex);
        }
    }

    private static (EventBatch Batch, Range[] Slices) ReadBatch(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        Next(ref reader);
        Expect(ref reader, JsonTokenType.StartObject, "the batch");
        int? version = null;
        string? office = null, device = null, batchId = null, signature = null;
        List<JournalEnvelope>? events = null;
        List<Range>? slices = null;
        var strings = new Recent();
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("schemaVersion"u8))
            {
                Once(version is null, "schemaVersion");
                version = ReadInt32(ref reader, "schemaVersion");
            }
            else if (reader.ValueTextEquals("officeId"u8))
            {
                Once(office is null, "officeId");
                office = ReadString(ref reader, "officeId", ref strings);
            }
            else if (reader.ValueTextEquals("deviceId"u8))
            {
                Once(device is null, "deviceId");
                device = ReadString(ref reader, "deviceId", ref strings);
            }
            else if (reader.ValueTextEquals("batchId"u8))
            {
                Once(batchId is null, "batchId");
                batchId = ReadString(ref reader, "batchId");
            }
            else if (reader.ValueTextEquals("signature"u8))
            {
                Once(signature is null, "signature");
                signature = ReadString(ref reader, "signature");
            }
            else if (reader.ValueTextEquals("events"u8))
            {
                Once(events is null, "events");
                Next(ref reader);
                Expect(ref reader, JsonTokenType.StartArray, "events");
                events = [];
                slices = [];
                while (Next(ref reader) != JsonTokenType.EndArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    events.Add(ReadEnvelope(ref reader, ref strings));
                    slices.Add(start..(int)reader.BytesConsumed);
                }
            }
            else
            {
                // Unknown members are skipped, as SyncJson does (UnmappedMemberHandling.Skip): a newer device may add one.
                Next(ref reader);
                reader.Skip();
            }
        }

        Expect(ref reader, JsonTokenType.EndObject, "the batch");
        if (reader.Read())
        {
            throw new JsonException($"unexpected {reader.TokenType} after the batch");
        }

        var batch = new EventBatch(Required(version, "schemaVersion"), Required(office, "officeId"), Required(device, "deviceId"),
            Required(batchId, "batchId"), Required(events, "events"), Required(signature, "signature"));
        return (batch, slices!.ToArray());
    }

    private static JournalEnvelope ReadEnvelope(ref Utf8JsonReader reader, ref Recent strings)
    {
        Expect(ref reader, JsonTokenType.StartObject, "an envelope");
        string? office = null, device = null, bootId = null, prevHash = null, hash = null;
        long? sequence = null, monotonic = null;
        AttendanceEvent? body = null;
        ClockQuality? clock = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("officeId"u8))
            {
                Once(office is null, "officeId");
                office = ReadString(ref reader, "officeId", ref strings);
            }
            else if (reader.ValueTextEquals("deviceId"u8))
            {
                Once(device is null, "deviceId");
                device = ReadString(ref reader, "deviceId", ref strings);
            }
            else if (reader.ValueTextEquals("sequence"u8))
            {
                Once(sequence is null, "sequence");
                sequence = ReadInt64(ref reader, "sequence");
            }
            else if (reader.ValueTextEquals("event"u8))
            {
                Once(body is null, "event");
                Next(ref reader);
                body = ReadBody(ref reader);
            }
            else if (reader.ValueTextEquals("bootId"u8))
            {
                Once(bootId is null, "bootId");
                bootId = ReadString(ref reader, "bootId", ref strings);
            }
            else if (reader.ValueTextEquals("monotonicMs"u8))
            {
                Once(monotonic is null, "monotonicMs");
                monotonic = ReadInt64(ref reader, "monotonicMs");
            }
            else if (reader.ValueTextEquals("clock"u8))
            {
                Once(clock is null, "clock");
                Next(ref reader);
                // The enum's own converter (JsonStringEnumConverter), so the accepted spellings are the contract's.
                clock = JsonSerializer.Deserialize(ref reader, SyncJson.Default.ClockQuality);
            }
            else if (reader.ValueTextEquals("prevHash"u8))
            {
                Once(prevHash is null, "prevHash");
                prevHash = ReadString(ref reader, "prevHash");
            }
            else if (reader.ValueTextEquals("hash"u8))
            {
                Once(hash is null, "hash");
                hash = ReadString(ref reader, "hash");
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        Expect(ref reader, JsonTokenType.EndObject, "an envelope");
        return new JournalEnvelope(Required(office, "officeId"), Required(device, "deviceId"), Required(sequence, "sequence"),
            Required(body, "event"), Required(bootId, "bootId"), Required(monotonic, "monotonicMs"), Required(clock, "clock"),
            Required(prevHash, "prevHash"), Required(hash, "hash"));
    }

    /// <summary>An envelope's "event", the reader on its first token: a punch in the kiosk's shape by hand
    /// (<see cref="PunchReader"/>), anything else by the contract's own rules (SyncJson). Leaves the reader on the body's
    /// last token; throws <see cref="JsonException"/> (or, for text that is not valid UTF-8, InvalidOperationException).</summary>
    internal static AttendanceEvent ReadBody(ref Utf8JsonReader reader)
    {
        var bodyStart = reader; // a checkpoint: the reader is a struct, so a copy rewinds it
        if (PunchReader.TryRead(ref reader) is { } punch)
        {
            return punch;
        }

        reader = bodyStart;
        return SyncJson.ReadEvent(ref reader);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("the message ends too early");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"{what}: expected {type}, found {reader.TokenType} at byte {reader.TokenStartIndex}");
        }
    }

    private static void Once(bool first, string name)
    {
        if (!first)
        {
            throw new JsonException($"duplicate member '{name}'");
        }
    }

    private static T Required<T>(T? value, string name)
        where T : class =>
        value ?? throw new JsonException($"missing member '{name}'");

    private static T Required<T>(T? value, string name)
        where T : struct =>
        value ?? throw new JsonException($"missing member '{name}'");

    private static string ReadString(ref Utf8JsonReader reader, string name, ref Recent strings)
    {
        ExpectString(ref reader, name);
        return strings.Get(ref reader);
    }

    private static string ReadString(ref Utf8JsonReader reader, string name)
    {
        ExpectString(ref reader, name);
        return reader.GetString()!;
    }

    private static void ExpectString(ref Utf8JsonReader reader, string name)
    {
        Next(ref reader);
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"'{name}' must be a string, not {reader.TokenType}");
        }
    }

    private static long ReadInt64(ref Utf8JsonReader reader, string name)
    {
        Next(ref reader);
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value)
            ? value
            : throw new JsonException($"'{name}' must be a whole number, not {reader.TokenType}");
    }

    private static int ReadInt32(ref Utf8JsonReader reader, string name)
    {
        Next(ref reader);
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value)
            ? value
            : throw new JsonException($"'{name}' must be a whole number, not {reader.TokenType}");
    }

    /// <summary>The office, device and boot ids (read through this; hashes and ids unique per batch are not) repeat in every envelope of a batch: the previous instance is reused
    /// when the text is the same, instead of allocating 500 copies.</summary>
    private struct Recent
    {
        private string? _a, _b, _c;

        public string Get(ref Utf8JsonReader reader)
        {
            if (_a is not null && reader.ValueTextEquals(_a))
            {
                return _a;
            }

            if (_b is not null && reader.ValueTextEquals(_b))
            {
                return _b;
            }

            if (_c is not null && reader.ValueTextEquals(_c))
            {
                return _c;
            }

            var value = reader.GetString()!;
            (_c, _b, _a) = (_b, _a, value);
            return value;
        }
    }
}
