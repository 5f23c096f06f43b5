namespace Reconciler.Cli.Spreadsheets;

/// <summary>The agent sheet's columns, in template order; import, template and report all use this one list.</summary>
internal static class AgentColumns
{
    public const string SheetName = "Agents";

    public static readonly AgentColumn Name = new("Name", "metadata.name", ColumnType.Text,
        "Manifest name (the handle other rows use as Supervisor). Leave empty: taken from the e-mail, or kept for an existing agent.");

    public static readonly AgentColumn DisplayName = new("Display name", "spec.displayName", ColumnType.Text, "Full name. Required.");

    public static readonly AgentColumn Email = new("Email", "spec.email", ColumnType.Text, "E-mail address, the agent's key on the platform. Required.");

    public static readonly AgentColumn Mobile = new("Mobile", "spec.mobile", ColumnType.Text, "E.164 phone number, e.g. +5511987654321 (format the cell as text).");

    public static readonly AgentColumn Role = new("Role", "spec.roleRef", ColumnType.Text, "agent, supervisor, admin-ally, admin, or a Role of the organisation. Required.");

    public static readonly AgentColumn Level = new("Level", "spec.level", ColumnType.Text, "L1 (auto-assigned chats), L2, L3 or Expert (join by invitation). Empty: L1.");

    public static readonly AgentColumn BusinessUnits = new("Business units", "spec.businessUnitRefs", ColumnType.List, "Business units, comma-separated, e.g. support, billing.");

    public static readonly AgentColumn Supervisor = new("Supervisor", "spec.supervisorRef", ColumnType.Text, "The supervisor's e-mail (or Name).");

    public static readonly AgentColumn Languages = new("Languages", "spec.languages", ColumnType.List, "BCP-47 language tags, comma-separated, e.g. pt-BR, en.");

    public static readonly AgentColumn Categories = new("Categories", "spec.categories", ColumnType.List, "Chat categories, comma-separated.");

    public static readonly AgentColumn MaxConcurrentChats = new("Max concurrent chats", "spec.maxConcurrentChats", ColumnType.Integer, "1 to 50. Empty: 3.");

    public static readonly AgentColumn Capabilities = new("Capabilities", "spec.capabilities", ColumnType.List, "Live, Chat, Search, Reports, Engagement; comma-separated.");

    public static readonly AgentColumn Active = new("Active", "spec.active", ColumnType.Boolean, "TRUE or FALSE (FALSE deactivates without deleting). Empty: TRUE.");

    public static readonly AgentColumn Status = new("Status", null, ColumnType.Text, "Report only: Active or Inactive on the platform.");

    public static readonly AgentColumn Presence = new("Presence", null, ColumnType.Text, "Report only: Online, Offline or Available.");

    public static readonly AgentColumn Created = new("Created", null, ColumnType.Date, "Report only: when the agent was created (UTC).");

    public static readonly AgentColumn Activated = new("Activated", null, ColumnType.Date, "Report only: when the agent was last activated (UTC).");

    public static readonly AgentColumn Deactivated = new("Deactivated", null, ColumnType.Date, "Report only: when the agent was deactivated (UTC), if inactive.");

    public static readonly AgentColumn Invitation = new("Invitation", null, ColumnType.Text, "Report only: Invited (sent, not yet accepted) or Expired.");

    public static readonly AgentColumn Invited = new("Invited", null, ColumnType.Date, "Report only: when the pending invitation was sent (UTC).");

    public static readonly AgentColumn AgeInDays = new("Age in days", null, ColumnType.Integer, "Report only: whole days since the invitation was sent.");

    /// <summary>The columns of the upload template, i.e. the fields import writes.</summary>
    public static IReadOnlyList<AgentColumn> Template { get; } =
        [Name, DisplayName, Email, Mobile, Role, Level, BusinessUnits, Supervisor, Languages, Categories, MaxConcurrentChats, Capabilities, Active];

    /// <summary>The report's columns: the template's, then what the platform observed.</summary>
    public static IReadOnlyList<AgentColumn> Report { get; } = [.. Template, Status, Presence, Created, Activated, Deactivated];

    /// <summary>The pending-invitations report's columns: who, and since when the invitation waits.</summary>
    public static IReadOnlyList<AgentColumn> InvitationReport { get; } = [Name, DisplayName, Email, Role, Status, Invitation, Invited, AgeInDays];

    /// <summary>
    /// The indexes of <paramref name="columns"/> whose cells are formatted as text: a spreadsheet turns a typed
    /// +5511987654321 in a General cell into the number 5511987654321 (the plus gone), and 007 into 7.
    /// </summary>
    public static IReadOnlySet<int> TextColumns(IReadOnlyList<AgentColumn> columns) =>
        Enumerable.Range(0, columns.Count).Where(i => columns[i] == Name || columns[i] == Email || columns[i] == Mobile || columns[i] == Languages).ToHashSet();

    private static readonly Dictionary<string, AgentColumn> ByHeader = BuildIndex();

    private static Dictionary<string, AgentColumn> BuildIndex()
    {
        var index = Report.Concat(InvitationReport).Distinct().ToDictionary(c => AgentColumn.Normalize(c.Header), StringComparer.Ordinal);

        // What the console's own template and reports call them.
        index["username"] = DisplayName;
        index["email"] = Email;
        index["mobilenumber"] = Mobile;
        index["businessunit"] = BusinessUnits;
        index["language"] = Languages;
        index["category"] = Categories;
        return index;
    }

    public static AgentColumn? Find(string header) => ByHeader.GetValueOrDefault(AgentColumn.Normalize(header));

    public static IEnumerable<string> Headers => Report.Select(c => c.Header);
}
