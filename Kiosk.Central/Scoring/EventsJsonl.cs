using System.Text.Json;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;

namespace Kiosk.Central.Scoring;

/// <summary>An event entered at the centre as it appears in an events file: it has no device envelope, so it names
/// its office and who entered it (docs/central.md, "Events file").</summary>
internal sealed record CentreLine(string OfficeId, string EnteredBy, AttendanceEvent Event);

/// <summary>Reads events as JSON Lines: one JournalEnvelope per line in the wire format of docs/protocol.md
/// (SyncJson: camelCase, "kind" discriminator on the event), or a CentreLine for what the centre entered (leave
/// decisions, findings, secretary points). Blank lines are skipped; a bad line is an error that names its line
/// number, and no partial result is returned (an audit must not silently drop a line).</summary>
internal static class EventsJsonl
{
    private static readonly JsonSerializerOptions CentreOptions = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        AllowOutOfOrderMetadataProperties = true,
    };

    public static (IReadOnlyList<JournalEnvelope> Envelopes, IReadOnlyList<CentreLine> Centre) ReadAll(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var list = new List<JournalEnvelope>();
        var centre = new List<CentreLine>();
        var errors = new List<string>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                if (!line.Contains("\"sequence\"", StringComparison.Ordinal))
                {
                    centre.Add(JsonSerializer.Deserialize<CentreLine>(line, CentreOptions)
                        ?? throw new JsonException("the line is JSON null"));
                    continue;
                }

                var envelope = SyncJson.Deserialize<JournalEnvelope>(System.Text.Encoding.UTF8.GetBytes(line));
                if (!JournalHash.Verify(envelope))
                {
                    errors.Add($"line {lineNumber}: hash does not match the row (device {envelope.DeviceId}, sequence {envelope.Sequence}): edited or damaged");
                    continue;
                }

                list.Add(envelope);
            }
            catch (JsonException ex)
            {
                errors.Add($"line {lineNumber}: not a journal envelope: {ex.Message}");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidDataException("events file refused:\n  " + string.Join("\n  ", errors.Take(50))
                + (errors.Count > 50 ? $"\n  … and {errors.Count - 50} more" : string.Empty));
        }

        return (list, centre);
    }

    public static string CentreLineJson(CentreLine line) => JsonSerializer.Serialize(line, CentreOptions);

    public static void Write(TextWriter writer, IEnumerable<JournalEnvelope> envelopes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var e in envelopes)
        {
            writer.Write(System.Text.Encoding.UTF8.GetString(SyncJson.Serialize(e)));
            writer.Write('\n');
        }
    }
}
