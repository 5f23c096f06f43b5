using System.Diagnostics;
using Reconciler.Cli.Spreadsheets;
using Xunit.Abstractions;

namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>A 20,000-row workbook imports in seconds: the sheet is streamed row by row, the rows validated as one set.</summary>
public sealed class LargeImportTests(ITestOutputHelper output) : IDisposable
{
    private const int Rows = 20_000;
    private readonly SheetWorkspace _workspace = new();

    [Fact]
    public async Task Twenty_thousand_rows_import_and_reimport_within_the_time_budget()
    {
        var units = new[] { "support", "billing", "sales", "onboarding", "technical-support" };
        var supervisors = new[] { "dewi.lestari@acme.example", "lukas.becker@acme.example", "joao.lima@acme.example" };
        var path = _workspace.PathOf("big.xlsx");
        XlsxWorkbookWriter.Write(path,
        [
            new WorkbookSheet("Agents", ["Email", "Display name", "Role", "Level", "Business units", "Supervisor", "Languages", "Max concurrent chats", "Active"],
                Enumerable.Range(0, Rows).Select(i => (IReadOnlyList<object?>)
                    [$"user{i:D5}@acme.example", $"User {i}", "agent", (i % 4) switch { 0 => "L1", 1 => "L2", 2 => "L3", _ => "Expert" },
                     units[i % units.Length], supervisors[i % supervisors.Length], i % 2 == 0 ? "en, pt-BR" : "de", 1 + (i % 10), i % 7 != 0])),
        ]);

        var clock = Stopwatch.StartNew();
        var first = await _workspace.RunAsync("import", "-f", "big.xlsx", "--output-dir", "org");
        var firstTime = clock.Elapsed;
        clock.Restart();
        var again = await _workspace.RunAsync("import", "-f", "big.xlsx", "--output-dir", "org");
        var againTime = clock.Elapsed;
        output.WriteLine($"import of {Rows} rows: {firstTime.TotalSeconds:F1} s; re-import (all unchanged): {againTime.TotalSeconds:F1} s");

        first.ExitCode.Should().Be(0, first.Error);
        first.Output.Should().Contain($"Import: {Rows} to add");
        again.Output.Should().Contain($"0 to add, 0 changed, {Rows} unchanged; 0 files written.");

        // Generous for a shared 2-core CI machine; a quiet one takes a fraction of it.
        firstTime.Should().BeLessThan(TimeSpan.FromSeconds(120));
        againTime.Should().BeLessThan(TimeSpan.FromSeconds(120));
    }

    public void Dispose() => _workspace.Dispose();
}
