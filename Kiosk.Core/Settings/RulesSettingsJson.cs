using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kiosk.Core.Settings;

/// <summary>Reads and writes the settings document. Parsing is strict (unknown fields and nulls where a value
/// is required are errors) and every error names its field, e.g. "schedule.morning.signIn: ...".</summary>
public static class RulesSettingsJson
{
    // Reflection-based on purpose: the source generator assigns every init-only property in the object
    // initializer (default(T) when absent), which would wipe the defaults a partial document relies on.
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>Parses and validates; throws <see cref="RulesSettingsException"/> listing every problem.</summary>
    public static RulesSettings Parse(string json)
    {
        if (TryParse(json, out var settings, out var errors))
        {
            return settings!;
        }

        throw new RulesSettingsException(errors);
    }

    public static bool TryParse(string json, out RulesSettings? settings, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        settings = null;
        try
        {
            var parsed = JsonSerializer.Deserialize<RulesSettings>(json, Options);
            if (parsed is null)
            {
                errors = ["(document): the settings document is null"];
                return false;
            }

            errors = RulesSettingsValidator.Validate(parsed);
            if (errors.Count > 0)
            {
                return false;
            }

            settings = parsed;
            return true;
        }
        catch (JsonException ex)
        {
            errors = [$"{FieldName(ex.Path)}: {Explain(ex)}"];
            return false;
        }
    }

    public static string Serialize(RulesSettings settings) =>
        JsonSerializer.Serialize(settings, Options);

    /// <summary>"$.schedule.morning.signIn" → "schedule.morning.signIn".</summary>
    private static string FieldName(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "(document)";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string Explain(JsonException ex)
    {
        // Our converters throw short messages; System.Text.Json's own messages embed the path, which we already name.
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

/// <summary>All problems found in a settings document, one message per field.</summary>
public sealed class RulesSettingsException : Exception
{
    public RulesSettingsException(IReadOnlyList<string> errors)
        : base("Invalid rules settings: " + string.Join("; ", errors)) => Errors = errors;

    public RulesSettingsException() : this([]) { }

    public RulesSettingsException(string message) : base(message) => Errors = [message];

    public RulesSettingsException(string message, Exception inner) : base(message, inner) => Errors = [message];

    public IReadOnlyList<string> Errors { get; }
}
