using System.CommandLine;
using Reconciler.Cli.Plumbing;
using Reconciler.Cli.Spreadsheets;
using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler import -f agents.xlsx --output-dir DIR</c>: a filled agent sheet becomes Agent manifests, ready for review and <c>plan</c>.</summary>
internal static class ImportCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var file = new Option<string>("--filename", "-f") { Description = "The filled sheet: .xlsx or .csv.", Required = true, HelpName = "agents.xlsx|agents.csv" };
        var directory = new Option<string>("--output-dir") { Description = "Folder of the organisation's manifests: agents in it are updated in place, new ones are added, references are checked against it.", Required = true };
        var groupBy = new Option<string>("--group-by") { Description = "How new agents are grouped into files: business-unit (one file per business unit) or supervisor (the file of the agent's supervisor tree).", DefaultValueFactory = _ => "business-unit" };
        groupBy.OneOf("business-unit", "supervisor");
        directory.RefusingStandardStream();
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Import the valid rows and list the skipped ones, instead of writing nothing when any row is invalid." };
        var sheet = new Option<string?>("--sheet") { Description = "Worksheet to read (default: \"Agents\", else the first visible one)." };
        var command = new Command("import", """
            Turn a filled agent sheet (the template of `reconciler template`, or a report of `reconciler report agents`) into
            Agent manifests. Agents already in the folder are edited in place (comments and order kept; rows that change
            nothing change nothing); new agents go into one file per business unit or per supervisor tree. Every row is
            checked with the same rules as `reconciler validate`; errors name the cell. Nothing is written when any row is
            invalid, unless --skip-invalid.

            Examples:
              reconciler import -f agents.xlsx --output-dir org/
              reconciler import -f agents.csv --output-dir org/ --group-by supervisor --skip-invalid
            """) { file, directory, groupBy, skipInvalid, sheet };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var given = parse.GetValue(file)!;
            var path = environment.Resolve(given);
            var folder = environment.Resolve(parse.GetValue(directory)!);
            switch (FileKinds.Of(path))
            {
                case FileKind.None: return Fail(error, $"{given}: no such file");
                case FileKind.Directory: return Fail(error, $"{given}: it is a folder; give the .xlsx or .csv file");
            }

            if (File.Exists(folder))
                return Fail(error, $"--output-dir {parse.GetValue(directory)} is a file; give the folder of the manifests");

            var existing = Directory.Exists(folder) ? ManifestLoader.Load([folder]) : ManifestLoader.LoadSources([]);
            var report = ManifestValidator.Validate(existing);
            if (!report.IsValid)
            {
                error.Write(ReportFormatter.FormatText(report, environment.WorkingDirectory));
                return Fail(error, $"the manifests in {parse.GetValue(directory)} are invalid; fix them before importing into them");
            }

            ImportResult result;
            try
            {
                using var source = Open(path, Path.GetFileName(given), parse.GetValue(sheet));
                var grouping = parse.GetValue(groupBy) == "supervisor" ? ImportGrouping.Supervisor : ImportGrouping.BusinessUnit;
                result = new AgentImporter(source, existing, folder, grouping, parse.GetValue(skipInvalid)).Import();
            }
            catch (InvalidDataException e)
            {
                return Fail(error, TerminalText.Printable(e.Message));
            }

            // Messages quote cells, and a cell may hold any character a terminal acts on.
            foreach (var warning in result.Warnings.Where(w => !result.SkippedRows.Contains(w.Row)))
                error.WriteLine($"warning: {TerminalText.Printable(warning.Message)}");
            if (result.Failed)
            {
                foreach (var problem in result.Problems)
                    error.WriteLine(TerminalText.Printable(problem.Message));
                var rows = result.Problems.Select(p => p.Row).Where(r => r > 0).Distinct().Count();
                error.WriteLine(rows > 0
                    ? $"{rows} invalid row{(rows == 1 ? "" : "s")}; nothing was written (--skip-invalid imports the others)."
                    : "Nothing was written.");
                return 1;
            }

            foreach (var row in result.SkippedRows)
            {
                foreach (var problem in result.Warnings.Where(w => w.Row == row))
                    error.WriteLine($"skipped row {row}: {TerminalText.Printable(problem.Message)}");
            }

            var files = new FileSet(folder);
            foreach (var write in result.Writes)
                files.Add(write.Path, write.Text);
            files.Write();

            var relative = (string p) => Path.GetRelativePath(environment.WorkingDirectory, p);
            foreach (var agent in result.Agents.Where(a => a.Action != ImportAction.Unchanged))
            {
                output.WriteLine(agent.Action == ImportAction.Create
                    ? $"  + Agent/{agent.Name} (row {agent.Row}) -> {relative(agent.File)}"
                    : $"  ~ Agent/{agent.Name} (row {agent.Row}) in {relative(agent.File)}: {string.Join(", ", agent.ChangedFields)}");
            }

            var created = result.Agents.Count(a => a.Action == ImportAction.Create);
            var changed = result.Agents.Count(a => a.Action == ImportAction.Update);
            var unchanged = result.Agents.Count(a => a.Action == ImportAction.Unchanged);
            var skipped = result.SkippedRows.Count == 0 ? "" : $", {result.SkippedRows.Count} skipped (invalid)";
            output.WriteLine($"Import: {created} to add, {changed} changed, {unchanged} unchanged{skipped}; {result.Writes.Count} file{(result.Writes.Count == 1 ? "" : "s")} written.");
            if (created + changed > 0)
                output.WriteLine($"Review with: git diff, then reconciler plan -f {parse.GetValue(directory)}");

            // --skip-invalid imports the valid rows; when there are none, nothing was imported because of errors, as without it.
            return result.Agents.Count == 0 && result.SkippedRows.Count > 0 ? 1 : 0;
        });
        return command;
    }

    private static ISheetSource Open(string path, string displayName, string? sheet) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" or ".txt" => new CsvSheetSource(path, displayName),
            ".xlsx" or ".xlsm" => XlsxSheetSource.Open(path, displayName, sheet),
            var other => throw new InvalidDataException($"{displayName}: unsupported file type \"{other}\"; give an .xlsx workbook or a .csv file"),
        };

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return 1;
    }
}
