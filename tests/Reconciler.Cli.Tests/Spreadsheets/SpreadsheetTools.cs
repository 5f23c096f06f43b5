using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>
/// The independent spreadsheet readers the tests check the project's workbooks with: Debian's python3-openpyxl and
/// LibreOffice Calc headless (libreoffice-calc-nogui). .ci/run installs both.
/// </summary>
internal static class SpreadsheetTools
{
    private static readonly Lazy<string?> PythonPath = new(FindPython);
    private static readonly Lazy<string?> SofficePath = new(() => Which("soffice") ?? Which("libreoffice"));

    /// <summary>A Python 3 that can import openpyxl (Debian's /usr/bin/python3 first: a pyenv shim may lack it).</summary>
    public static string? Python => PythonPath.Value;

    public static string? Soffice => SofficePath.Value;

    /// <summary>
    /// Every sheet of a workbook as openpyxl reads it: name, state, frozen pane, data validations, each cell's value,
    /// openpyxl data type (s, n, b, d, e) and number format, and each column's number format.
    /// </summary>
    public static async Task<JsonObject> ReadWithOpenpyxlAsync(string workbook)
    {
        const string script = """
            import json, sys, datetime, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            out = {}
            for ws in wb.worksheets:
                rows = []
                for row in ws.iter_rows():
                    cells = []
                    for c in row:
                        v = c.value
                        if isinstance(v, datetime.datetime):
                            v = v.isoformat()
                        cells.append({"v": v, "t": c.data_type, "f": c.number_format})
                    rows.append(cells)
                out[ws.title] = {
                    "state": ws.sheet_state,
                    "freeze": ws.freeze_panes,
                    "validations": [{"sqref": str(d.sqref), "formula": d.formula1, "type": d.type, "errorStyle": d.errorStyle} for d in ws.data_validations.dataValidation],
                    "rows": rows,
                    "columns": {k: d.number_format for k, d in ws.column_dimensions.items()},
                }
            print(json.dumps(out))
            """;
        var (exit, output, error) = await RunAsync(Python!, ["-c", script, workbook], TimeSpan.FromSeconds(120));
        exit.Should().Be(0, error);
        return JsonNode.Parse(output)!.AsObject();
    }

    /// <summary>Writes a workbook with openpyxl from a Python snippet that fills <c>wb</c>, then saves it to <paramref name="path"/>.</summary>
    public static async Task WriteWithOpenpyxlAsync(string path, string fill)
    {
        var script = "import sys, datetime, openpyxl\nwb = openpyxl.Workbook()\n" + fill + "\nwb.save(sys.argv[1])\n";
        var (exit, _, error) = await RunAsync(Python!, ["-c", script, path], TimeSpan.FromSeconds(120));
        exit.Should().Be(0, error);
    }

    /// <summary>Converts with LibreOffice headless (own profile, so parallel tests do not share one) and returns the new file.</summary>
    public static async Task<string> ConvertWithLibreOfficeAsync(string file, string format, string outputDirectory)
    {
        var profile = Path.Combine(Path.GetTempPath(), "reconciler-lo-profile-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, output, error) = await RunAsync(Soffice!,
                [$"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", format, "--outdir", outputDirectory, file], TimeSpan.FromMinutes(3));
            var converted = Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(file) + "." + format.Split(':')[0]);
            File.Exists(converted).Should().BeTrue($"soffice exited {exit}: {output} {error}");
            return converted;
        }
        finally
        {
            if (Directory.Exists(profile))
                Directory.Delete(profile, recursive: true);
        }
    }

    public static async Task<(int Exit, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await ProcessTimeout.WaitForExitAsync(process, timeout);
        return (process.ExitCode, await output, await error);
    }

    private static string? FindPython()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", Which("python3") })
        {
            if (candidate is null || !File.Exists(candidate))
                continue;
            try
            {
                var (exit, _, _) = RunAsync(candidate, ["-c", "import openpyxl"], TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
                if (exit == 0)
                    return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not runnable here; try the next.
            }
        }

        return null;
    }

    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

