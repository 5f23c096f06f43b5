using System.Globalization;
using CsvHelper;
using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>Writes one <see cref="WorkbookSheet"/> as CSV: to a file (atomically, UTF-8 with a byte order mark) or to standard output.</summary>
internal static class CsvSheetWriter
{
    /// <summary>
    /// A CSV file starts with the UTF-8 byte order mark, as Excel's own "CSV UTF-8" does: without it Excel opens the file
    /// in the system's code page, and Gómez reads (and is saved back) as GÃ³mez. Standard output, read by programs, has none.
    /// </summary>
    public static Task WriteAsync(string path, WorkbookSheet sheet, CancellationToken cancellationToken) =>
        AtomicFile.WriteTextAsync(path, async writer =>
        {
            await writer.WriteAsync('\uFEFF');
            await WriteAsync(writer, sheet, cancellationToken);
        });

    /// <summary>RFC 4180 CSV; text that a spreadsheet would run as a formula (=, @, +, -, tab, CR) is escaped with a leading apostrophe, except a phone number.</summary>
    public static async Task WriteAsync(TextWriter target, WorkbookSheet sheet, CancellationToken cancellationToken)
    {
        var options = CsvWriterOptions.Default with { Injection = CsvInjection.None };
        await using var csv = CsvWriter.Create(target, options, leaveOpen: true);
        csv.WriteRecord([.. sheet.Headers.Select(CsvSheetSource.Escape)]);
        foreach (var row in sheet.Rows)
        {
            csv.WriteRecord([.. row.Select(v => CsvSheetSource.Escape(Text(v)))]);
            cancellationToken.ThrowIfCancellationRequested();
        }

        await csv.FlushAsync(cancellationToken);
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        bool b => b ? "TRUE" : "FALSE",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
