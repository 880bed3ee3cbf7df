using System.Globalization;

namespace Kiosk.Central.Reports;

/// <summary>Turns report lines into cell values once, so the CSV and the XLSX cannot disagree.</summary>
internal static class ReportCells
{
    /// <summary>A cell is text or a number; numbers stay numbers in the spreadsheet so a clerk can sum them.</summary>
    internal readonly record struct Cell(string Text, decimal? Number)
    {
        public static Cell Of(string text) => new(text, null);

        public static Cell Of(decimal number) => new(number.ToString("0.##", CultureInfo.InvariantCulture), number);
    }

    public static IReadOnlyList<Cell> ForRow(ReportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return
        [
            Cell.Of(row.Name),
            Cell.Of(row.Office),
            Cell.Of(row.RequiredHalfDays),
            Cell.Of(row.OnTime),
            Cell.Of(string.Create(CultureInfo.InvariantCulture, $"{row.LateCount}/{row.LateMinutes}")),
            Cell.Of(row.EarlyLeave),
            Cell.Of(row.AbsentHalfDays),
            Cell.Of(row.LeaveHalfDays),
            Cell.Of(row.ExcusedHalfDays),
            Cell.Of(row.FullAttendance ? "是" : "否"),
            Cell.Of(row.RecordPoints),
            row.SecretaryPoints is { } p ? Cell.Of(p) : Cell.Of("未评"),
            Cell.Of(row.Total),
            Cell.Of(row.Remarks),
        ];
    }

    public static IReadOnlyList<Cell> Deduction(DeductionLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return
        [
            Cell.Of(line.Name),
            Cell.Of(line.Office),
            Cell.Of(line.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            Cell.Of(line.Session),
            Cell.Of(line.Cause),
            Cell.Of(line.Points),
        ];
    }
}
