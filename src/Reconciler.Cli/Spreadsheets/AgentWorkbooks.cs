using System.Globalization;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>The workbooks of the spreadsheet bridge: the upload template and the agent reports.</summary>
internal static class AgentWorkbooks
{
    public const string ListsSheet = "Lists";
    public const string InstructionsSheet = "Instructions";

    public static IReadOnlyList<WorkbookSheet> Template(OrganisationLists lists)
    {
        var columns = AgentColumns.Template;
        var listColumns = new (string Header, IReadOnlyList<string> Values)[]
        {
            ("Level", Enum.GetNames<AgentLevel>()),
            ("Role", lists.Roles),
            ("Business unit", lists.BusinessUnits),
            ("Language", lists.Languages),
        };
        var depth = listColumns.Max(l => l.Values.Count);
        var listRows = Enumerable.Range(0, depth).Select(i => (IReadOnlyList<object?>)[.. listColumns.Select(l => i < l.Values.Count ? l.Values[i] : null)]);
        string Range(int list) => $"{ListsSheet}!${CellAddress.Column(list)}$2:${CellAddress.Column(list)}${Math.Max(2, listColumns[list].Values.Count + 1)}";
        int Index(AgentColumn column) => columns.ToList().IndexOf(column);

        var agents = new WorkbookSheet(AgentColumns.SheetName, [.. columns.Select(c => c.Header)], [])
        {
            FreezeHeader = true,
            TextColumns = AgentColumns.TextColumns(columns),
            Widths = [.. columns.Select(c => c == AgentColumns.Email || c == AgentColumns.Supervisor ? 32.0 : Math.Max(14, c.Header.Length + 4))],
            Validations =
            [
                new(Index(AgentColumns.Level), Range(0), Strict: true, "L1 is assigned chats automatically; L2, L3 and Expert join when invited."),
                new(Index(AgentColumns.Role), Range(1), Strict: true, "A built-in role or one of the organisation's roles."),
                new(Index(AgentColumns.BusinessUnits), Range(2), Strict: false, "One or more business units, separated by commas."),
                new(Index(AgentColumns.Languages), Range(3), Strict: false, "One or more BCP-47 language tags, separated by commas."),
            ],
        };
        var instructions = new WorkbookSheet(InstructionsSheet, ["Column", "What to enter"], Instructions())
        {
            Widths = [24, 110],
        };
        var hidden = new WorkbookSheet(ListsSheet, [.. listColumns.Select(l => l.Header)], listRows) { Hidden = true };
        return [agents, instructions, hidden];
    }

    private static IEnumerable<IReadOnlyList<object?>> Instructions()
    {
        yield return ["How to use", "Fill one row per agent on the Agents sheet, save, and run: reconciler import -f <this file> --output-dir <manifests folder>"];
        yield return ["", "Existing agents (matched by e-mail) are updated; new ones are added. An empty optional cell means the default (or no value)."];
        yield return ["", "Every problem is reported with its cell, e.g. Sheet \"Agents\" C7 (Email); nothing is written while any row is invalid."];
        yield return ["", "Columns can be in any order; unknown headers are refused. Report columns (Status, Presence, dates) are ignored on import."];
        yield return [null, null];
        foreach (var column in AgentColumns.Report)
            yield return [column.Header, column.Help];
    }

    /// <summary>The report's rows: the selected role's users, with the platform's status, presence and dates.</summary>
    public static IEnumerable<IReadOnlyList<object?>> Report(ObservedState observed, IReadOnlyList<AuditRecord> audit, ReportSubject subject)
    {
        var exported = Exporter.Export(observed).OfType<Agent>().ToList();
        var objects = observed.Of(AgentKind.Description.Collection!).ToDictionary(o => o.Key, StringComparer.Ordinal);
        var emails = exported.ToDictionary(a => a.Metadata.Name, a => a.Spec.Email, StringComparer.Ordinal);
        var events = audit.Where(e => e.Collection == AgentKind.Description.Collection).ToLookup(e => e.ObjectId, StringComparer.Ordinal);
        foreach (var agent in exported.Where(a => Covers(subject, a.Spec.RoleRef.Name)).OrderBy(a => a.Spec.DisplayName, StringComparer.CurrentCulture).ThenBy(a => a.Spec.Email, StringComparer.Ordinal))
        {
            var spec = agent.Spec;
            var platform = objects.GetValueOrDefault(spec.Email.ToLowerInvariant());
            var history = platform is null ? [] : events[platform.Id].ToList();
            var created = Date(platform?.Fields["createdAt"]) ?? history.FirstOrDefault(e => e.Action == "create")?.At;

            // The platform stamps activation dates; where an adapter's platform does not, its audit trail tells when "active" last changed.
            var lastToggle = history.LastOrDefault(e => e.ChangedFields.Contains("active"))?.At;
            var activated = Date(platform?.Fields["activatedAt"]) ?? (spec.Active ? lastToggle ?? created : null);
            var deactivated = spec.Active ? null : Date(platform?.Fields["deactivatedAt"]) ?? lastToggle;
            yield return
            [
                agent.Metadata.Name,
                spec.DisplayName,
                spec.Email,
                spec.Mobile,
                spec.RoleRef.Name,
                spec.Level.ToString(),
                Join(spec.BusinessUnitRefs.Select(r => r.Name)),
                spec.SupervisorRef is { } supervisor ? emails.GetValueOrDefault(supervisor.Name, supervisor.Name) : null,
                Join(spec.Languages),
                Join(spec.Categories),
                spec.MaxConcurrentChats,
                Join(spec.Capabilities.Select(c => c.ToString())),
                spec.Active,
                spec.Active ? "Active" : "Inactive",
                platform?.Fields["presence"]?.GetValue<string>(),
                created,
                activated,
                deactivated,
            ];
        }
    }

    /// <summary>
    /// Agents whose invitation is pending (Invited, or Expired where the platform reports expiry), oldest first, with
    /// the whole days it has waited at <paramref name="now"/>.
    /// </summary>
    public static IEnumerable<IReadOnlyList<object?>> Invitations(ObservedState observed, DateTimeOffset now)
    {
        var objects = observed.Of(AgentKind.Description.Collection!).ToDictionary(o => o.Key, StringComparer.Ordinal);
        var pending = Exporter.Export(observed).OfType<Agent>()
            .Select(agent => (Agent: agent, Invitation: objects.GetValueOrDefault(agent.Spec.Email.ToLowerInvariant())?.Fields["invitation"] as JsonObject))
            .Select(p => (p.Agent, State: p.Invitation?["state"]?.GetValue<string>(), InvitedAt: Date(p.Invitation?["invitedAt"])))
            .Where(p => p.State is "Invited" or "Expired" && p.InvitedAt is not null)
            .OrderBy(p => p.InvitedAt).ThenBy(p => p.Agent.Spec.Email, StringComparer.Ordinal);
        foreach (var (agent, state, invitedAt) in pending)
        {
            yield return
            [
                agent.Metadata.Name,
                agent.Spec.DisplayName,
                agent.Spec.Email,
                agent.Spec.RoleRef.Name,
                agent.Spec.Active ? "Active" : "Inactive",
                state,
                invitedAt,
                (long)Math.Max(0, Math.Floor((now - invitedAt!.Value).TotalDays)),
            ];
        }
    }

    private static bool Covers(ReportSubject subject, string role) => subject switch
    {
        ReportSubject.Supervisors => role == "supervisor",
        ReportSubject.AdminAllies => role == "admin-ally",
        _ => role is not ("supervisor" or "admin-ally" or "admin"),
    };

    private static string? Join(IEnumerable<string> items) => string.Join(", ", items) is { Length: > 0 } text ? text : null;

    private static DateTimeOffset? Date(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
