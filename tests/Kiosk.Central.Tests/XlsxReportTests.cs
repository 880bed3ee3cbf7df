using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Kiosk.Central.Reports;

namespace Kiosk.Central.Tests;

public sealed class XlsxReportTests
{
    internal static MonthReport Sample() => new(2026, 3, "全街道",
        [
            new ReportRow("w1", "张三", "hongqi", 44, 41, 2, 17, 0, 1, 0, 0, false, 73m, 18, 91m, 0, "迟到 2 次"),
            new ReportRow("w2", "李四", "xinhua", 44, 44, 0, 0, 0, 0, 0, 0, true, 80m, null, 80m, 2, "待定 2 个半天"),
        ],
        [
            new DeductionLine("w1", "张三", "hongqi", new DateOnly(2026, 3, 2), "上午", "迟到 5 分钟", 1m),
            new DeductionLine("w1", "张三", "hongqi", new DateOnly(2026, 3, 9), "下午", "旷工 半天", 5m),
        ]);

    [Fact]
    public void The_xlsx_report_opens_with_openxml_and_every_cell_holds_the_expected_value()
    {
        using var stream = new MemoryStream();
        XlsxReportWriter.Write(stream, Sample());
        stream.Position = 0;

        using var document = SpreadsheetDocument.Open(stream, false);
        var sheets = ReadSheets(document);
        Assert.Equal([ReportColumns.MainSheet, ReportColumns.DeductionSheet], sheets.Keys);

        var main = sheets[ReportColumns.MainSheet];
        Assert.Equal(ReportColumns.Main, main[0]);
        Assert.Equal(["张三", "hongqi", "44", "41", "2/17", "0", "1", "0", "0", "否", "73", "18", "91", "迟到 2 次"], main[1]);
        Assert.Equal(["李四", "xinhua", "44", "44", "0/0", "0", "0", "0", "0", "是", "80", "未评", "80", "待定 2 个半天"], main[2]);
        Assert.Equal(3, main.Count);

        var deductions = sheets[ReportColumns.DeductionSheet];
        Assert.Equal(ReportColumns.Deductions, deductions[0]);
        Assert.Equal(["张三", "hongqi", "2026-03-02", "上午", "迟到 5 分钟", "1"], deductions[1]);
        Assert.Equal(["张三", "hongqi", "2026-03-09", "下午", "旷工 半天", "5"], deductions[2]);
    }

    [Fact]
    public void Numbers_are_numeric_cells_and_text_is_inline_so_a_clerk_can_sum_columns()
    {
        using var stream = new MemoryStream();
        XlsxReportWriter.Write(stream, Sample());
        stream.Position = 0;
        using var document = SpreadsheetDocument.Open(stream, false);
        var part = document.WorkbookPart!.WorksheetParts.First();
        var cells = part.Worksheet.Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);
        Assert.Equal(CellValues.Number, cells["C2"].DataType!.Value);
        Assert.Equal("44", cells["C2"].CellValue!.Text);
        Assert.Equal(CellValues.InlineString, cells["A2"].DataType!.Value);
        Assert.Equal(CellValues.InlineString, cells["E2"].DataType!.Value);
    }

    [Fact]
    public void The_csv_report_starts_with_a_bom_and_the_chinese_headers()
    {
        using var stream = new MemoryStream();
        CsvReportWriter.Write(stream, Sample());
        var bytes = stream.ToArray();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split('\n');
        Assert.Equal(string.Join(',', ReportColumns.Main), lines[0]);
        Assert.Equal("张三,hongqi,44,41,2/17,0,1,0,0,否,73,18,91,迟到 2 次", lines[1]);
        Assert.Equal(ReportColumns.DeductionSheet, lines[4]);
    }

    [Fact]
    public void The_workbook_passes_the_openxml_schema_validator()
    {
        using var stream = new MemoryStream();
        XlsxReportWriter.Write(stream, Sample() with { Rows = [.. Sample().Rows, Sample().Rows[0] with { Remarks = " 前后有空格 " }] });
        stream.Position = 0;
        using var document = SpreadsheetDocument.Open(stream, false);
        var errors = new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(document).Select(e => e.Path?.XPath + ": " + e.Description).ToList();
        Assert.Empty(errors);
        Assert.Equal(" 前后有空格 ", ReadSheets(document)[ReportColumns.MainSheet][3][13]);
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(13, "N")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    public void Column_names_follow_the_a1_style(int index, string name) =>
        Assert.Equal(name, XlsxReportWriter.ColumnName(index));

    /// <summary>Reads every sheet as rows of strings, resolving inline and shared strings.</summary>
    internal static Dictionary<string, List<string[]>> ReadSheets(SpreadsheetDocument document)
    {
        var workbook = document.WorkbookPart!;
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToArray() ?? [];
        var result = new Dictionary<string, List<string[]>>();
        foreach (var sheet in workbook.Workbook.Sheets!.Elements<Sheet>())
        {
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var rows = new List<string[]>();
            foreach (var row in part.Worksheet.Descendants<Row>())
            {
                rows.Add(row.Elements<Cell>().Select(c =>
                    c.DataType?.Value == CellValues.InlineString ? c.InlineString!.InnerText
                    : c.DataType?.Value == CellValues.SharedString ? shared[int.Parse(c.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)]
                    : c.CellValue?.Text ?? string.Empty).ToArray());
            }

            result[sheet.Name!.Value!] = rows;
        }

        return result;
    }
}
