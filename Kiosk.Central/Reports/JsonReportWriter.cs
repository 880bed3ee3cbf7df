using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Kiosk.Central.Reports;

/// <summary>The monthly report as JSON (files-only scoring, for reconciliation by another program): the same lines
/// as the CSV with English field names, Chinese text left readable (not \u-escaped).</summary>
internal static class JsonReportWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static void Write(Stream stream, MonthReport report) => JsonSerializer.Serialize(stream, report, Options);

    public static MonthReport Read(Stream stream) =>
        JsonSerializer.Deserialize<MonthReport>(stream, Options) ?? throw new InvalidDataException("report JSON is null");
}
