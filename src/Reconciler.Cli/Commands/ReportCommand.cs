using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Cli.Plumbing;
using Reconciler.Cli.Spreadsheets;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler report agents|supervisors|admin-allies|invitations -o xlsx|csv|json --output-file F</c>: the console's user reports, from the platform.</summary>
internal static class ReportCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var options = new EngineOptions();
        var subject = new Argument<string>("users") { Description = "agents, supervisors or admin-allies: only that role's users are reported; invitations: the agents whose invitation is pending." };
        subject.OneOf("agents", "supervisors", "admin-allies", "invitations");
        var format = new Option<string?>("--output", "-o") { Description = "Format: xlsx, csv or json (default: from --output-file's extension, else csv)." };
        format.OneOf("xlsx", "csv", "json");
        var file = new Option<string?>("--output-file") { Description = "File to write (default: standard output; required for xlsx)." };
        var command = new Command("report", """
            Report the users of one role as the platform has them now: name, e-mail, role, level, business units,
            categories, languages, supervisor, status (active/inactive), presence, and created / activated / deactivated
            dates (UTC). In xlsx, numbers, booleans and dates are real cell types. A report can be edited and imported back.
            `report invitations` lists the agents whose e-mail invitation is pending (Invited or Expired), oldest first,
            with when it was sent and its age in whole days.

            Examples:
              reconciler report agents -o xlsx --output-file agents.xlsx
              reconciler report supervisors -o json
              reconciler report invitations -o csv
              reconciler report agents -o csv --platform-url https://admin.example.com -f org/   # the token from its PlatformConnection's tokenSecretRef
            """) { subject, format, file };
        options.AddConnectionManifestOptionsTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var output = parse.GetValue(file);
            var kind = parse.GetValue(format) ?? Path.GetExtension(output ?? ".csv").TrimStart('.').ToLowerInvariant() switch
            {
                "xlsx" => "xlsx",
                "json" => "json",
                _ => "csv",
            };
            if (kind == "xlsx" && output is null)
            {
                await error.WriteLineAsync("error: an xlsx report is a binary file; give --output-file");
                return 1;
            }

            if (await PlatformObservation.OpenAsync(options, parse, environment, error, cancellationToken) is not { } platform)
                return 1;

            await using (platform)
            {

                var chosen = parse.GetValue(subject);
                IReadOnlyList<AuditRecord> audit = [];
                if (chosen != "invitations" && platform.Observed.Of(AgentKind.Description.Collection!).Any(MissesDates))
                {
                    var trail = await platform.Session.Client.ListAuditEventsAsync(new AuditQuery(Collection: AgentKind.Description.Collection), cancellationToken);
                    if (!trail.IsOk)
                    {
                        await error.WriteLineAsync($"error: cannot read the audit trail for activation dates: {trail.Message}");
                        return 1;
                    }

                    audit = trail.Value!;
                }

                var users = chosen switch
                {
                    "supervisors" => ReportSubject.Supervisors,
                    "admin-allies" => ReportSubject.AdminAllies,
                    _ => ReportSubject.Agents,
                };
                var sheet = chosen == "invitations"
                    ? new WorkbookSheet("Invitations", [.. AgentColumns.InvitationReport.Select(c => c.Header)], AgentWorkbooks.Invitations(platform.Observed, environment.Time.GetUtcNow())) { FreezeHeader = true, TextColumns = AgentColumns.TextColumns(AgentColumns.InvitationReport) }
                    : new WorkbookSheet(SheetName(users), [.. AgentColumns.Report.Select(c => c.Header)], AgentWorkbooks.Report(platform.Observed, audit, users)) { FreezeHeader = true, TextColumns = AgentColumns.TextColumns(AgentColumns.Report) };
                var path = output is null ? null : environment.Resolve(output);
                switch (kind)
                {
                    case "xlsx":
                        XlsxWorkbookWriter.Write(path!, [sheet]);
                        break;
                    case "json":
                        await WriteAsync(path, parse.InvocationConfiguration.Output, Json(sheet), cancellationToken);
                        break;
                    default:
                        if (path is null)
                            await CsvSheetWriter.WriteAsync(parse.InvocationConfiguration.Output, sheet, cancellationToken);
                        else
                            await CsvSheetWriter.WriteAsync(path, sheet, cancellationToken);
                        break;
                }

                if (path is not null)
                    await error.WriteLineAsync($"Wrote the {chosen} report to {output}.");
                return 0;
            }
        });
        return command;
    }

    private static bool MissesDates(PlatformObject agent) =>
        agent.Fields["createdAt"] is null || agent.Fields[agent.Fields["active"]?.GetValue<bool>() == false ? "deactivatedAt" : "activatedAt"] is null;

    private static string SheetName(ReportSubject users) => users switch
    {
        ReportSubject.Supervisors => "Supervisors",
        ReportSubject.AdminAllies => "Admin allies",
        _ => AgentColumns.SheetName,
    };

    /// <summary>An array of objects keyed by the camel-cased headers; list columns are arrays, dates ISO 8601 in UTC.</summary>
    private static string Json(WorkbookSheet sheet)
    {
        var keys = sheet.Headers.Select(h => AgentColumns.Find(h) is { } c ? JsonKey(c) : h).ToList();
        var lists = sheet.Headers.Select(h => AgentColumns.Find(h)?.Type == ColumnType.List).ToList();
        var array = new JsonArray();
        foreach (var row in sheet.Rows)
        {
            var item = new JsonObject();
            for (var i = 0; i < keys.Count; i++)
            {
                item[keys[i]] = row[i] switch
                {
                    null when lists[i] => new JsonArray(),
                    string s when lists[i] => new JsonArray([.. s.Split(", ").Select(v => (JsonNode)JsonValue.Create(v))]),
                    DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    // Typed: JsonValue.Create of an object needs reflection-based serialisation, which the tool does not have.
                    string s => JsonValue.Create(s),
                    int n => JsonValue.Create(n),
                    long n => JsonValue.Create(n),
                    bool b => JsonValue.Create(b),
                    _ => null,
                };
            }

            // Add(JsonNode), not the generic Add<T>: trimming analysis cannot tell which T it serializes.
            array.Add((JsonNode)item);
        }

        return array.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static string JsonKey(AgentColumn column)
    {
        var words = column.Header.Split(' ');
        return string.Concat(words.Select((w, i) => i == 0 ? w.ToLowerInvariant() : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()))
            + (column.Type == ColumnType.Date ? "At" : "");
    }

    private static async Task WriteAsync(string? path, TextWriter output, string text, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            await output.WriteAsync(text);
            return;
        }

        await AtomicFile.WriteAllTextAsync(path, text, cancellationToken);
    }
}
