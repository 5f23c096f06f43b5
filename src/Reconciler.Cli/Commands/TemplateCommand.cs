using System.CommandLine;
using Reconciler.Cli.Plumbing;
using Reconciler.Cli.Spreadsheets;
using Reconciler.Core.Engine;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler template agents.xlsx [-f DIR]</c>: the bulk-upload template, its drop-down lists from the manifests or the platform.</summary>
internal static class TemplateCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var options = new EngineOptions();
        var target = new Argument<string>("file") { Description = "The workbook to write (.xlsx; .csv gives the header row only)." };
        var manifests = new Option<string[]>("--filename", "-f")
        {
            Description = "Manifest files or folders to take roles, business units and languages from (default: the platform); - reads standard input.",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "file-or-folder",
        }.RefusingFlags();
        var command = new Command("template", """
            Write the agent upload template: an Agents sheet whose header row matches the model (frozen), drop-down lists
            for level, role, business unit and language, and an Instructions sheet. Fill it, then `reconciler import` it.

            Examples:
              reconciler template agents.xlsx -f org/
              reconciler template agents.xlsx --platform-url https://admin.example.com --token-file token
            """) { target, manifests };
        options.AddPlatformOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var file = environment.Resolve(parse.GetValue(target)!);
            OrganisationLists lists;
            if (parse.GetValue(manifests) is { Length: > 0 } given)
            {
                if (EngineOptions.LoadValid(given, environment, error) is not { } resources)
                    return 1;
                lists = OrganisationLists.From(resources);
            }
            else
            {
                if (await PlatformObservation.OpenAsync(options, parse, environment, error, cancellationToken) is not { } platform)
                    return 1;

                await using (platform)
                {

                    lists = OrganisationLists.From(Exporter.Export(platform.Observed));
                }
            }

            var sheets = AgentWorkbooks.Template(lists);
            if (string.Equals(Path.GetExtension(file), ".csv", StringComparison.OrdinalIgnoreCase))
                await CsvSheetWriter.WriteAsync(file, sheets[0], cancellationToken);
            else
                XlsxWorkbookWriter.Write(file, sheets);
            await parse.InvocationConfiguration.Output.WriteLineAsync(
                $"Wrote {parse.GetValue(target)}: {lists.Roles.Count} roles, {lists.BusinessUnits.Count} business units, {lists.Languages.Count} languages in its lists.");
            return 0;
        });
        return command;
    }
}
