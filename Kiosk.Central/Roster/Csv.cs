using System.Globalization;
using System.Text;

namespace Kiosk.Central.Roster;

/// <summary>A small RFC 4180 reader/writer: quoted fields may hold commas, quotes ("") and line breaks.
/// Each record keeps the physical line it started on, so errors can name the line a clerk sees in an editor.</summary>
internal static class Csv
{
    public sealed record Record(int Line, IReadOnlyList<string> Fields);

    public static IEnumerable<Record> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"':
                    inQuotes = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (any || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return new Record(recordLine, fields.ToArray());
                    }

                    fields.Clear();
                    field.Clear();
                    any = false;
                    line++;
                    recordLine = line;
                    break;
                case '\uFEFF' when field.Length == 0 && fields.Count == 0 && line == 1:
                    break; // a BOM written by spreadsheet programs
                default:
                    field.Append(ch);
                    any = true;
                    break;
            }
        }

        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return new Record(recordLine, fields.ToArray());
        }
    }

    public static string Escape(string? value)
    {
        value ??= string.Empty;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return value;
        }

        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Line(IEnumerable<string?> values) => string.Join(',', values.Select(Escape));

    public static string Format(DateOnly? date) =>
        date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
}
