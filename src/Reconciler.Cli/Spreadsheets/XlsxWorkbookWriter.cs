using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>
/// Writes .xlsx workbooks with <see cref="OpenXmlWriter"/>, row by row, so a large report is streamed into the
/// package rather than built as a DOM. Strings are inline (escaped as Excel escapes them), numbers and booleans typed, dates are serial numbers
/// with a date format, as a spreadsheet itself would store them.
/// </summary>
internal static class XlsxWorkbookWriter
{
    private const uint HeaderStyle = 1;
    private const uint DateStyle = 2;
    private const uint TextStyle = 3;
    private const int MaxRowsValidated = 10_000;

    public static void Write(string path, IReadOnlyList<WorkbookSheet> sheets) => AtomicFile.Write(path, stream =>
    {
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            var styles = workbookPart.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            var list = workbookPart.Workbook.AppendChild(new Sheets());
            for (var i = 0; i < sheets.Count; i++)
            {
                var part = workbookPart.AddNewPart<WorksheetPart>();
                WriteSheet(part, sheets[i], selected: i == 0);
                list.Append(new Sheet
                {
                    Id = workbookPart.GetIdOfPart(part),
                    SheetId = (uint)(i + 1),
                    Name = sheets[i].Name,
                    State = sheets[i].Hidden ? SheetStateValues.Hidden : null,
                });
            }

            workbookPart.Workbook.Save();
        }
    });

    private static void WriteSheet(WorksheetPart part, WorkbookSheet sheet, bool selected)
    {
        using var writer = OpenXmlWriter.Create(part);
        writer.WriteStartElement(new Worksheet());
        var view = new SheetView { WorkbookViewId = 0, TabSelected = selected ? true : null };
        if (sheet.FreezeHeader)
        {
            view.Append(
                new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
                new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } });
        }

        writer.WriteElement(new SheetViews(view));
        var columns = new Columns();
        for (var i = 0; i < sheet.Headers.Count; i++)
        {
            var width = i < sheet.Widths.Count ? sheet.Widths[i] : Math.Max(12, sheet.Headers[i].Length + 4);
            columns.Append(new Column
            {
                Min = (uint)(i + 1),
                Max = (uint)(i + 1),
                Width = width,
                CustomWidth = true,
                Style = sheet.TextColumns.Contains(i) ? TextStyle : null,
            });
        }

        if (sheet.Headers.Count > 0)
            writer.WriteElement(columns);
        writer.WriteStartElement(new SheetData());
        var number = 1;
        if (sheet.Headers.Count > 0)
        {
            WriteRow(writer, number++, [.. sheet.Headers], _ => HeaderStyle);
        }

        // A cell keeps its own format when edited: the column's text format alone would leave the written cells General.
        foreach (var row in sheet.Rows)
            WriteRow(writer, number++, row, column => sheet.TextColumns.Contains(column) ? TextStyle : null);
        writer.WriteEndElement();

        if (sheet.Validations.Count > 0)
        {
            var validations = new DataValidations { Count = (uint)sheet.Validations.Count };
            foreach (var v in sheet.Validations)
            {
                var column = CellAddress.Column(v.Column);
                validations.Append(new DataValidation(new Formula1(v.Source))
                {
                    Type = DataValidationValues.List,
                    AllowBlank = true,
                    ShowInputMessage = true,
                    ShowErrorMessage = true,
                    ErrorStyle = v.Strict ? DataValidationErrorStyleValues.Stop : DataValidationErrorStyleValues.Warning,
                    PromptTitle = sheet.Headers[v.Column],
                    Prompt = v.Prompt,
                    ErrorTitle = sheet.Headers[v.Column],
                    Error = v.Strict ? "Choose a value from the list." : "Not in the list; several values are separated by commas.",
                    SequenceOfReferences = new ListValue<StringValue> { InnerText = $"{column}2:{column}{MaxRowsValidated + 1}" },
                });
            }

            writer.WriteElement(validations);
        }

        writer.WriteEndElement();
    }

    private static void WriteRow(OpenXmlWriter writer, int number, IReadOnlyList<object?> values, Func<int, uint?> style)
    {
        writer.WriteStartElement(new Row { RowIndex = (uint)number });
        for (var i = 0; i < values.Count; i++)
        {
            if (Cell(values[i], CellAddress.Of(i, number)) is not { } cell)
                continue;
            if (style(i) is { } index && cell.StyleIndex is null)
                cell.StyleIndex = index;
            writer.WriteElement(cell);
        }

        writer.WriteEndElement();
    }

    private static Cell? Cell(object? value, string reference) => value switch
    {
        null => null,
        string s => new Cell(new InlineString(new Text(XlsxText.Escape(s)) { Space = SpaceProcessingModeValues.Preserve })) { CellReference = reference, DataType = CellValues.InlineString },

        // The schema's boolean cell holds 1 or 0; CellValue(bool) would write "true", which readers refuse.
        bool b => new Cell(new CellValue(b ? "1" : "0")) { CellReference = reference, DataType = CellValues.Boolean },
        int n => new Cell(new CellValue(n)) { CellReference = reference },
        long n => new Cell(new CellValue((double)n)) { CellReference = reference },
        double d => new Cell(new CellValue(d)) { CellReference = reference },

        // A spreadsheet has no time zones: dates are written in UTC, as the column headers say.
        DateTimeOffset t => new Cell(new CellValue(t.UtcDateTime.ToOADate())) { CellReference = reference, StyleIndex = DateStyle },
        _ => throw new ArgumentException($"no cell type for {value.GetType().Name}", nameof(value)),
    };

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy-mm-dd hh:mm:ss" }) { Count = 1 },
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellStyleFormats(new CellFormat()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 49, ApplyNumberFormat = true })
        { Count = 4 },
        new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
}
