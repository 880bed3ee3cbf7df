using System.Text;
using Kiosk.Central.Roster;

namespace Kiosk.Central.Reports;

/// <summary>The monthly report as CSV: UTF-8 with a byte-order mark, because spreadsheet programs used in
/// Chinese offices otherwise read the headers as GBK and show mojibake. The deduction list follows the main
/// table after one empty line, headed by its sheet name, so one file carries both.</summary>
internal static class CsvReportWriter
{
    public static void Write(Stream stream, MonthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        writer.Write(Csv.Line(ReportColumns.Main) + "\n");
        foreach (var row in report.Rows)
        {
            writer.Write(Csv.Line(ReportCells.ForRow(row).Select(c => c.Text)) + "\n");
        }

        writer.Write("\n" + ReportColumns.DeductionSheet + "\n");
        writer.Write(Csv.Line(ReportColumns.Deductions) + "\n");
        foreach (var line in report.Deductions)
        {
            writer.Write(Csv.Line(ReportCells.Deduction(line).Select(c => c.Text)) + "\n");
        }
    }
}
