using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kiosk.Core.Settings;

/// <summary>Times of day in the settings are written "HH:mm" (e.g. "08:00"), as office rules print them.
/// Anything else is rejected; the parser turns the exception into a message naming the field.</summary>
public sealed class HourMinuteConverter : JsonConverter<TimeOnly>
{
    public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("expected a time of day as \"HH:mm\"");
        }

        var text = reader.GetString();
        if (!TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new JsonException($"'{text}' is not a time of day \"HH:mm\"");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString("HH:mm", CultureInfo.InvariantCulture));
    }
}
