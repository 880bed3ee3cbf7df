using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Kiosk.Central.Reports;

/// <summary>The monthly report as an .xlsx workbook (DocumentFormat.OpenXml 2.20, the only spreadsheet library
/// in the feed): sheet 1 the clerk's table, sheet 2 every deduction with its cause (issue 6). Text goes in
/// inline strings (no shared-string table to keep in step); numbers are real numbers so columns can be summed.
/// The package (parts, relationships, workbook) is built by the SDK; only the sheet data is streamed.</summary>
internal static class XlsxReportWriter
{
    public static void Write(Stream stream, MonthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        // Fast deflate: a district's month compresses a little worse but is written several times faster.
        document.CompressionOption = System.IO.Packaging.CompressionOption.SuperFast;
        var workbookPart = document.AddWorkbookPart();
        workbookPart.Workbook = new Workbook();
        var sheets = workbookPart.Workbook.AppendChild(new Sheets());

        AddSheet(workbookPart, sheets, 1, ReportColumns.MainSheet, ReportColumns.Main,
            report.Rows.Select(ReportCells.ForRow));
        AddSheet(workbookPart, sheets, 2, ReportColumns.DeductionSheet, ReportColumns.Deductions,
            report.Deductions.Select(ReportCells.Deduction));
        workbookPart.Workbook.Save();
    }

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private static void AddSheet(WorkbookPart workbookPart, Sheets sheets, uint id, string name, IReadOnlyList<string> headers,
        IEnumerable<IReadOnlyList<ReportCells.Cell>> rows)
    {
        // The sheet XML is streamed straight into the part: a district's month is ~200,000 cells, and building them
        // as OpenXml element objects cost seconds (bench/Kiosk.Central.Bench). The markup is the plain SpreadsheetML
        // the SDK itself would write: <row r><c r t="n"><v/></c> and inline strings <c t="inlineStr"><is><t/></is></c>.
        var worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
        using (var stream = worksheetPart.GetStream(FileMode.Create))
        using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            xml.WriteStartDocument(true);
            xml.WriteStartElement("worksheet", Main);
            xml.WriteStartElement("sheetData", Main);
            uint rowIndex = 1;
            WriteRow(xml, rowIndex, headers.Select(ReportCells.Cell.Of).ToList());
            foreach (var cells in rows)
            {
                rowIndex++;
                WriteRow(xml, rowIndex, cells);
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        sheets.AppendChild(new Sheet { Id = workbookPart.GetIdOfPart(worksheetPart), SheetId = id, Name = name });
    }

    private static void WriteRow(XmlWriter xml, uint rowIndex, IReadOnlyList<ReportCells.Cell> cells)
    {
        var index = rowIndex.ToString(CultureInfo.InvariantCulture);
        xml.WriteStartElement("row", Main);
        xml.WriteAttributeString("r", index);
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            xml.WriteStartElement("c", Main);
            xml.WriteAttributeString("r", ColumnName(i) + index);
            if (cell.Number is { } number)
            {
                xml.WriteAttributeString("t", "n");
                xml.WriteElementString("v", Main, number.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                xml.WriteAttributeString("t", "inlineStr");
                xml.WriteStartElement("is", Main);
                xml.WriteStartElement("t", Main);
                if (cell.Text.Length > 0 && (char.IsWhiteSpace(cell.Text[0]) || char.IsWhiteSpace(cell.Text[^1])))
                {
                    xml.WriteAttributeString("xml", "space", null, "preserve");
                }

                xml.WriteString(cell.Text);
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    /// <summary>0 → A, 25 → Z, 26 → AA (the A1 reference style).</summary>
    internal static string ColumnName(int index)
    {
        var name = string.Empty;
        index++;
        while (index > 0)
        {
            var rem = (index - 1) % 26;
            name = (char)('A' + rem) + name;
            index = (index - 1) / 26;
        }

        return name;
    }
}
