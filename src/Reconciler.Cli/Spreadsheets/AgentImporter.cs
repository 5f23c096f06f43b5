using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;

namespace Reconciler.Cli.Spreadsheets;

/// <summary>
/// Turns the rows of an agent sheet into Agent manifests in a folder. Each row becomes a manifest document that the
/// project's own loader and validation rules check together with the folder's manifests (so an e-mail, phone,
/// language, level or reference is judged exactly as <c>reconciler validate</c> judges it); diagnostics come back
/// through the field path to the cell. Existing agents are edited in place; new ones are grouped into files.
/// </summary>
internal sealed partial class AgentImporter(ISheetSource source, ManifestSet existing, string outputDirectory, ImportGrouping grouping, bool skipInvalid)
{
    private const string RowFilePrefix = "\u0000row:";

    // An agent's spec as a manifest writes it (the writer's generated metadata).
    private static readonly JsonTypeInfo<AgentSpec> SpecJson = (JsonTypeInfo<AgentSpec>)ManifestWriter.Json.GetTypeInfo(typeof(AgentSpec));

    /// <summary>The spec's fields in model order (for inserting a field where a person would look for it).</summary>
    private static readonly IReadOnlyList<string> SpecOrder =
        [.. SpecJson.Properties.Select(p => p.Name)];

    private static readonly IReadOnlyDictionary<string, JsonNode> Defaults = new Dictionary<string, JsonNode>(StringComparer.Ordinal)
    {
        ["level"] = JsonValue.Create("L1"),
        ["maxConcurrentChats"] = JsonValue.Create(3),
        ["active"] = JsonValue.Create(true),
    };

    private static readonly HashSet<string> SetFields = new(StringComparer.Ordinal) { "businessUnitRefs", "languages", "categories", "capabilities" };

    private readonly List<ImportProblem> _problems = [];
    private readonly List<ImportProblem> _warnings = [];
    private readonly Dictionary<int, AgentColumn> _columns = [];

    /// <summary>Columns with a header, imported or report-only.</summary>
    private readonly HashSet<int> _headed = [];
    private int _headerRow;
    private ILookup<string, Resource>? _referenced;

    /// <summary>Cells with a problem found on the sheet already; the rules' view of the same cell would only repeat it.</summary>
    private readonly HashSet<string> _flagged = new(StringComparer.Ordinal);
    private Dictionary<string, RowAgent>? _rowsByName;
    private Dictionary<string, Agent>? _existingByName;

    private sealed class RowAgent(SheetRow row)
    {
        public SheetRow Row { get; } = row;

        public string Name { get; set; } = "";

        public Agent? Existing { get; set; }

        /// <summary>The value each present column asks for; null where the cell is empty.</summary>
        public Dictionary<string, JsonNode?> Fields { get; } = new(StringComparer.Ordinal);

        public JsonObject Spec { get; set; } = [];

        public Agent? Loaded { get; set; }
    }

    public ImportResult Import()
    {
        var rows = ReadRows();
        if (rows is null || _problems.Any(p => p.Row == 0))
            return Failed();
        FlagMerged(rows);

        var agents = MatchRows(rows);
        var invalid = new HashSet<int>(_problems.Select(p => p.Row));
        var found = Validate(agents);
        invalid.UnionWith(found);
        if (_problems.Any(p => p.Row == 0) || (invalid.Count > 0 && !skipInvalid))
            return Failed();

        // Leaving a row out can break another (its supervisor was the skipped row): validate again until stable.
        while (found.Count > 0)
        {
            found = Validate(agents.Where(a => !invalid.Contains(a.Row.Number)).ToList());
            invalid.UnionWith(found);
            if (_problems.Any(p => p.Row == 0))
                return Failed();
        }

        var kept = agents.Where(a => !invalid.Contains(a.Row.Number)).ToList();
        var (writes, imported) = Plan(kept);
        return new ImportResult([], [.. _warnings, .. _problems.OrderBy(p => p.Row).ThenBy(p => p.Column)], [.. invalid.Order()], writes, imported);
    }

    private ImportResult Failed() => new([.. _problems.OrderBy(p => p.Row).ThenBy(p => p.Column)], _warnings, [], [], []);

    private void Flag(int row, int column, string message)
    {
        _flagged.Add(Cell(column, row));
        _problems.Add(new ImportProblem(row, $"{Cell(column, row)}: {message}", column));
    }

    private string Cell(int column, int row) =>
        _columns.TryGetValue(column, out var c) ? $"{source.Description} {CellAddress.Of(column, row)} ({c.Header})" : $"{source.Description} {CellAddress.Of(column, row)}";

    private List<SheetRow>? ReadRows()
    {
        var rows = new List<SheetRow>();
        SheetRow? header = null;
        foreach (var row in source.Rows())
        {
            if (row.IsEmpty)
                continue;
            if (header is null)
            {
                header = row;
                ReadHeader(row);
                if (_problems.Count > 0)
                    return null;
                continue;
            }

            // Each row becomes a manifest document validated with the folder (20,000 rows: 30 s, 400 MB), so a sheet of
            // a million one-cell rows, a few MB zipped, would hold the machine for half an hour and many GB.
            if (rows.Count == SheetLimits.MaxRows)
                throw new InvalidDataException($"{source.Description} row {row.Number}: more than {SheetLimits.MaxRows:N0} rows of agents, more than import reads; import the sheet in parts");
            if (!FlagUnheaded(row))
                rows.Add(row);
        }

        if (header is null)
            _problems.Add(new ImportProblem(0, $"{source.Description}: the sheet is empty; expected a header row ({string.Join(", ", AgentColumns.Template.Select(c => c.Header))})"));
        return rows;
    }

    /// <summary>
    /// Flags each value in a column without a header, which no field reads: dropped unseen, it would be lost (its header
    /// cleared by mistake). Returns whether the row holds nothing else, as a note beside the table does: that is no
    /// agent, and read as one it would be reported as an agent with every required field missing.
    /// </summary>
    private bool FlagUnheaded(SheetRow row)
    {
        var loose = Enumerable.Range(0, row.Cells.Count).Where(i => !_headed.Contains(i) && !row.IsBlank(i)).ToList();
        foreach (var i in loose)
        {
            // An unreadable cell's text says why, which is no value to quote.
            var value = row[i]!.Kind == CellKind.Unreadable ? "A value" : $"\"{row[i]!.Text}\"";
            Flag(row.Number, i, $"{value} is in a column without a header; give the column a header ({string.Join(", ", AgentColumns.Template.Select(c => c.Header))}), or clear the cell");
        }

        return loose.Count > 0 && _headed.All(row.IsBlank);
    }

    /// <summary>
    /// Flags each imported cell that a merge covers but does not start: the spreadsheet shows the merge's value over it,
    /// but the file holds that value in the merge's first cell alone, and read as empty the cell would remove its field
    /// (rows merged in Business units would leave every agent but the first in none).
    /// </summary>
    private void FlagMerged(List<SheetRow> rows)
    {
        var numbers = rows.ConvertAll(r => r.Number);
        foreach (var merge in source.Merges)
        {
            var columns = _columns.Keys.Where(c => c >= merge.FirstColumn && c <= merge.LastColumn).Order().ToList();
            var start = numbers.BinarySearch(Math.Max(merge.FirstRow, _headerRow + 1));
            for (var i = start < 0 ? ~start : start; columns.Count > 0 && i < numbers.Count && numbers[i] <= merge.LastRow; i++)
            {
                foreach (var column in columns.Where(c => numbers[i] != merge.FirstRow || c != merge.FirstColumn))
                    Flag(numbers[i], column, $"the cell is merged into {merge.First} ({merge.Reference}): it shows {merge.First}'s value but holds none of its own; unmerge the cells and fill each one");
            }
        }
    }

    private void ReadHeader(SheetRow header)
    {
        _headerRow = header.Number;
        var seen = new Dictionary<AgentColumn, int>();
        for (var i = 0; i < header.Cells.Count; i++)
        {
            if (header.IsBlank(i))
                continue;
            var text = header[i]!.Text.Trim();
            _headed.Add(i);
            if (AgentColumns.Find(text) is not { } column)
            {
                _problems.Add(new ImportProblem(0, $"{source.Description} {CellAddress.Of(i, header.Number)}: unknown column \"{text}\"{Suggestions.DidYouMean(text, AgentColumns.Headers)} (columns: {string.Join(", ", AgentColumns.Template.Select(c => c.Header))})"));
                continue;
            }

            if (seen.TryGetValue(column, out var first))
            {
                _problems.Add(new ImportProblem(0, $"{source.Description} {CellAddress.Of(i, header.Number)}: column \"{column.Header}\" is already {CellAddress.Of(first, header.Number)}"));
                continue;
            }

            seen[column] = i;
            if (!column.IsReportOnly)
                _columns[i] = column;
        }

        if (!seen.ContainsKey(AgentColumns.Email))
            _problems.Add(new ImportProblem(0, $"{source.Description} row {header.Number}: no \"{AgentColumns.Email.Header}\" column; the e-mail is what identifies an agent"));
    }

    private int ColumnOf(AgentColumn column) => _columns.FirstOrDefault(c => c.Value == column, new(-1, column)).Key;

    private string? Text(SheetRow row, AgentColumn column)
    {
        var index = ColumnOf(column);
        if (index < 0 || row[index] is not { } cell)
            return null;
        if (cell.Kind is CellKind.Error or CellKind.Unreadable)
        {
            // A cell is read for matching and naming as well as for its field: its problem is reported once.
            if (!_flagged.Contains(Cell(index, row.Number)))
                Flag(row.Number, index, cell.Kind == CellKind.Error ? $"the cell holds the spreadsheet error {cell.Text}" : cell.Text);
            return null;
        }

        // No field of an agent is a date: a date cell is a value the spreadsheet changed as it was typed (1-2, 3/4),
        // whose serial number would be imported as if it were the value.
        if (cell.Kind == CellKind.Date && column.Type != ColumnType.Date)
        {
            if (!_flagged.Contains(Cell(index, row.Number)))
                Flag(row.Number, index, $"the cell is the date {cell.Text}: a spreadsheet reads a value such as 1-2 or 3/4 typed into a cell not formatted as text as a date; format the cell as text and type the value again");
            return null;
        }

        var text = cell.Text.Trim();
        return text.Length == 0 ? null : text;
    }

    private List<RowAgent> MatchRows(List<SheetRow> rows)
    {
        var existingByEmail = new Dictionary<string, Agent>(StringComparer.OrdinalIgnoreCase);
        var existingByName = new Dictionary<string, Agent>(StringComparer.Ordinal);
        foreach (var agent in existing.OfType<Agent>())
        {
            existingByEmail.TryAdd(agent.Spec.Email, agent);
            existingByName[agent.Metadata.Name] = agent;
        }

        var agents = new List<RowAgent>(rows.Count);
        var emails = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var emailColumn = ColumnOf(AgentColumns.Email);
        var nameColumn = ColumnOf(AgentColumns.Name);
        foreach (var row in rows)
        {
            var agent = new RowAgent(row);
            var email = Text(row, AgentColumns.Email);
            var name = Text(row, AgentColumns.Name);
            if (email is not null && !emails.TryAdd(email, row.Number))
                Flag(row.Number, emailColumn, $"\"{email}\" is already the e-mail in {CellAddress.Of(emailColumn, emails[email])}; e-mails are compared case-insensitively");
            agent.Existing = email is not null && existingByEmail.TryGetValue(email, out var byEmail) ? byEmail
                : name is not null && existingByName.TryGetValue(name, out var byName) ? byName : null;
            if (agent.Existing is { } match && name is not null && name != match.Metadata.Name)
            {
                Flag(row.Number, nameColumn, $"\"{name}\" differs from \"{match.Metadata.Name}\", the name of the agent with this e-mail ({match.Source?.RelativeTo(outputDirectory)}); import does not rename manifests");
            }

            agent.Name = agent.Existing?.Metadata.Name ?? name ?? "";
            agents.Add(agent);
        }

        // Names of new agents without one come from the e-mail, kept clear of every other name.
        var taken = new HashSet<string>(existingByName.Keys, StringComparer.Ordinal);
        taken.UnionWith(agents.Select(a => a.Name).Where(n => n.Length > 0));
        foreach (var agent in agents)
        {
            if (agent.Name.Length == 0)
            {
                var stem = ManifestNames.FromKey(Text(agent.Row, AgentColumns.Email) ?? "unnamed");
                var unique = stem;
                for (var i = 2; !taken.Add(unique); i++)
                    unique = $"{stem}-{i}";
                agent.Name = unique;
            }
            else if (agent.Existing is null && !names.TryAdd(agent.Name, agent.Row.Number))
            {
                Flag(agent.Row.Number, nameColumn, $"\"{agent.Name}\" is already the name in {CellAddress.Of(nameColumn, names[agent.Name])}");
            }
            else if (agent.Existing is null && existingByName.ContainsKey(agent.Name))
            {
                Flag(agent.Row.Number, nameColumn, $"\"{agent.Name}\" is already the name of another agent ({existingByName[agent.Name].Source?.RelativeTo(outputDirectory)})");
            }
        }

        var nameByEmail = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var agent in existing.OfType<Agent>())
            nameByEmail.TryAdd(agent.Spec.Email, agent.Metadata.Name);
        foreach (var agent in agents)
        {
            if (Text(agent.Row, AgentColumns.Email) is { } email)
                nameByEmail[email] = agent.Name;
        }

        foreach (var agent in agents)
            ReadFields(agent, nameByEmail);
        return agents;
    }

    private void ReadFields(RowAgent agent, Dictionary<string, string> nameByEmail)
    {
        var row = agent.Row;
        var current = agent.Existing is { } match ? JsonSerializer.SerializeToNode(match.Spec, SpecJson)!.AsObject() : null;
        foreach (var (index, column) in _columns)
        {
            if (column.Field is not { } path || !path.StartsWith("spec.", StringComparison.Ordinal))
                continue;
            var field = path["spec.".Length..];
            var text = Text(row, column);
            agent.Fields[field] = text is null ? null : column switch
            {
                _ when column == AgentColumns.Role => Ref(Resolve(text, "Role")),
                _ when column == AgentColumns.BusinessUnits => new JsonArray([.. Split(text).Select(u => Ref(Resolve(u, "BusinessUnit")))]),
                _ when column == AgentColumns.Supervisor => Ref(Supervisor(row, index, text, nameByEmail)),
                _ when column == AgentColumns.Mobile && text.All(char.IsAsciiDigit) => Mobile(agent, index, text, row[index]!.Kind == CellKind.Number),
                _ when column == AgentColumns.Mobile && ScientificNumber().IsMatch(text) => Lost(agent, index, text),
                _ when column == AgentColumns.Level => JsonValue.Create(Canonical(text, Enum.GetNames<AgentLevel>())),
                _ when column == AgentColumns.Capabilities => new JsonArray([.. Split(text).Select(c => (JsonNode)JsonValue.Create(Canonical(c, Enum.GetNames<AgentCapability>())))]),
                _ when column.Type == ColumnType.List => new JsonArray([.. Split(text).Select(v => (JsonNode)JsonValue.Create(v))]),
                _ when column.Type == ColumnType.Integer => WholeNumber(text) is { } n ? JsonValue.Create(n) : JsonValue.Create(text),
                _ when column.Type == ColumnType.Boolean => Boolean(text) is { } b ? JsonValue.Create(b) : JsonValue.Create(text),
                _ => JsonValue.Create(AsItIs(row[index]!.Text, current?[field]) ?? text),
            };
        }

        var spec = current ?? [];
        foreach (var (field, value) in agent.Fields)
            spec[field] = value?.DeepClone();
        agent.Spec = spec;
    }

    /// <summary>
    /// The cell's text with the whitespace around it when that is exactly the agent's value. Whitespace around a cell is
    /// otherwise dropped as a stray space typed or pasted; but a platform keeps a display name as its console was given
    /// it, spaces or a tab around it included, and a report writes it so: trimmed, that report imported again would
    /// change the agent.
    /// </summary>
    private static string? AsItIs(string cell, JsonNode? value) =>
        value is JsonValue json && json.TryGetValue<string>(out var text) && text == cell ? text : null;

    /// <summary>
    /// A whole number, also as a decimal (4.0): LibreOffice and Excel read 4.0 in a CSV as the number 4, and CSV writers
    /// such as pandas write a count so when its column has an empty cell. 4.5 is not whole, and left to the rule.
    /// </summary>
    private static long? WholeNumber(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
            : decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue ? (long)d
            : null;

    private static JsonObject Ref(string name) => new() { ["name"] = name };

    private static IEnumerable<string> Split(string text) =>
        text.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Canonical(string text, IEnumerable<string> names) =>
        names.FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) ?? text;

    private static bool? Boolean(string text) => text.ToLowerInvariant() switch
    {
        "true" or "yes" or "y" or "1" or "active" => true,
        "false" or "no" or "n" or "0" or "inactive" => false,
        _ => null,
    };

    /// <summary>A name as written, or the one a person meant by case or display name; unknown ones go to the reference rule.</summary>
    private string Resolve(string text, string kind)
    {
        _referenced ??= existing.Resources.Where(r => r is Role or BusinessUnit).ToLookup(r => r.Kind, StringComparer.Ordinal);
        var candidates = _referenced[kind];
        var builtIns = ResourceCatalog.Find(kind)!.Description.BuiltIn;
        if (builtIns.Contains(text) || candidates.Any(r => r.Metadata.Name == text))
            return text;
        var builtIn = builtIns.Where(b => string.Equals(b, text, StringComparison.OrdinalIgnoreCase));
        var byName = candidates.Where(r => string.Equals(r.Metadata.Name, text, StringComparison.OrdinalIgnoreCase)
            || string.Equals(DisplayNameOf(r), text, StringComparison.OrdinalIgnoreCase)).Select(r => r.Metadata.Name);
        return builtIn.Concat(byName).FirstOrDefault() ?? text;
    }

    private static string? DisplayNameOf(Resource resource) => resource switch
    {
        Role r => r.Spec.DisplayName,
        BusinessUnit b => b.Spec.DisplayName,
        _ => null,
    };

    private string Supervisor(SheetRow row, int column, string text, Dictionary<string, string> nameByEmail)
    {
        if (!text.Contains('@', StringComparison.Ordinal))
            return text;
        if (nameByEmail.TryGetValue(text, out var name))
            return name;
        // Mail domains are shared; the part before the @ is what a typo changes.
        var local = text.Split('@')[0];
        var guess = nameByEmail.Keys.FirstOrDefault(e => e.Split('@')[0] == Suggestions.Closest(local, nameByEmail.Keys.Select(k => k.Split('@')[0])));
        Flag(row.Number, column, $"no agent has the e-mail \"{text}\", in the sheet or in {outputDirectory}{(guess is null ? "" : $"; did you mean \"{guess}\"?")}");
        return text;
    }

    /// <summary>
    /// A mobile of digits alone: a spreadsheet reads a typed (or CSV) +6281212345632 in a cell not formatted as text as
    /// the number 6281212345632, dropping the plus, and saves it so in a CSV. The agent's own mobile without its plus is
    /// that mobile (a report opened and saved again). Any other number cell is refused saying what happened, rather than
    /// given a plus: it may as well be a local number typed without its country code, which a plus would make another
    /// valid number; other digits are left to the E.164 rule.
    /// </summary>
    private JsonNode Mobile(RowAgent agent, int column, string digits, bool numberCell)
    {
        if (agent.Existing?.Spec.Mobile is { } mobile && mobile == "+" + digits)
            return JsonValue.Create(mobile);
        if (numberCell)
            Flag(agent.Row.Number, column, $"the cell is the number {digits}, not text: a spreadsheet drops the + of a phone number typed into a cell that is not formatted as text; format the column as text and type +{digits} if that is the number");
        return JsonValue.Create(digits);
    }

    /// <summary>
    /// A mobile such as 5.51199E+12: Excel shows a phone number it read as a number (from a CSV, or typed into a General
    /// cell) in scientific notation, and saves it so in a CSV; its digits are gone, which the E.164 rule alone does not say.
    /// </summary>
    private JsonNode Lost(RowAgent agent, int column, string text)
    {
        Flag(agent.Row.Number, column, $"\"{text}\" is a phone number a spreadsheet read as a number and saved in scientific notation, its digits lost; format the column as text and type the number with its +");
        return JsonValue.Create(text);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9](\.[0-9]+)?[Ee]\+[0-9]+$")]
    private static partial System.Text.RegularExpressions.Regex ScientificNumber();

    /// <summary>Validates the candidates with the folder's manifests; returns the rows with errors (after recording them).</summary>
    private HashSet<int> Validate(List<RowAgent> candidates)
    {
        _warnings.Clear();
        var invalid = new HashSet<int>();
        var (set, report) = Check(candidates, _ => null);
        var broken = new Dictionary<int, HashSet<string>>();
        foreach (var diagnostic in report.Diagnostics)
        {
            if (Record(diagnostic, reportExisting: true) is { } row)
            {
                invalid.Add(row);
                if (!broken.TryGetValue(row, out var fields))
                    broken[row] = fields = new HashSet<string>(StringComparer.Ordinal);
                fields.Add(TopField(diagnostic.Path));
            }
        }

        var byRow = candidates.ToDictionary(c => c.Row.Number);
        foreach (var agent in set.OfType<Agent>())
        {
            if (RowOf(agent.Source?.File) is { } row)
                byRow[row].Loaded = agent;
        }

        // A document with a malformed field is not typed, so the semantic rules never saw it: check the row again
        // without those fields, so that one import lists every problem of the row, not the first layer.
        var untyped = broken.Where(b => byRow[b.Key].Loaded is null).ToDictionary(b => b.Key, b => b.Value);
        if (untyped.Count > 0)
        {
            var (_, second) = Check(candidates, agent => untyped.TryGetValue(agent.Row.Number, out var fields) ? Without(agent, fields) : null);
            foreach (var diagnostic in second.Diagnostics.Where(d => RowOf(d.File) is { } r && untyped.ContainsKey(r) && !untyped[r].Contains(TopField(d.Path))))
                Record(diagnostic, reportExisting: false);
        }

        return invalid;
    }

    private (ManifestSet Set, ValidationReport Report) Check(List<RowAgent> candidates, Func<RowAgent, JsonObject?> specOverride)
    {
        var replaced = candidates.Where(c => c.Existing is not null).Select(c => c.Existing!.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var sources = existing.Resources
            .Where(r => r is not Agent || !replaced.Contains(r.Metadata.Name))
            .GroupBy(r => r.Source?.File ?? "manifests")
            .Select(g => new ManifestSource(g.Key, ManifestWriter.ToYaml(g)))
            .ToList();
        foreach (var agent in candidates)
        {
            var document = new JsonObject
            {
                ["apiVersion"] = Resource.GroupVersion,
                ["kind"] = "Agent",
                ["metadata"] = new JsonObject { ["name"] = agent.Name },
                ["spec"] = specOverride(agent) ?? agent.Spec.DeepClone(),
            };
            sources.Add(new ManifestSource(RowFilePrefix + agent.Row.Number.ToString(CultureInfo.InvariantCulture), document.ToJsonString(ManifestWriter.Json)));
        }

        var set = ManifestLoader.LoadSources(sources, ManifestLimits.Default with { MaxDocumentsPerFile = int.MaxValue, MaxFileBytes = long.MaxValue });
        return (set, ManifestValidator.Validate(set));
    }

    /// <summary>The row's spec without the malformed fields; required ones get a stand-in so the document loads.</summary>
    private static JsonObject Without(RowAgent agent, HashSet<string> fields)
    {
        var spec = agent.Spec.DeepClone().AsObject();
        foreach (var field in fields)
            spec.Remove(field);
        spec["email"] ??= $"row-{agent.Row.Number}@stand-in.invalid";
        spec["displayName"] ??= "stand-in";
        spec["roleRef"] ??= Ref("agent");
        return spec;
    }

    /// <summary>Records a diagnostic as a problem of its row (returning the row when it is an error) or of the folder.</summary>
    private int? Record(Diagnostic diagnostic, bool reportExisting)
    {
        if (RowOf(diagnostic.File) is not { } row)
        {
            if (diagnostic.IsError && reportExisting)
                _problems.Add(new ImportProblem(0, $"{Path.GetRelativePath(outputDirectory, diagnostic.File)}: {diagnostic.Path}: {diagnostic.Message}"));
            return null;
        }

        // Both are checked on the sheet itself, where the message can name the other cell.
        if (diagnostic.Code is DiagnosticCodes.DuplicateResource or DiagnosticCodes.DuplicateEmail)
            return null;
        var (where, column) = Where(row, diagnostic.Path);
        if (_flagged.Contains(where))
            return diagnostic.IsError ? row : null;
        var problem = new ImportProblem(row, $"{where}: {diagnostic.Message}", column);
        if (!diagnostic.IsError)
        {
            _warnings.Add(problem);
            return null;
        }

        _flagged.Add(where);
        _problems.Add(problem);
        return row;
    }

    private static int? RowOf(string? file) =>
        file is not null && file.StartsWith(RowFilePrefix, StringComparison.Ordinal) ? int.Parse(file[RowFilePrefix.Length..], CultureInfo.InvariantCulture) : null;

    /// <summary><c>spec.languages[1]</c> → <c>languages</c>.</summary>
    private static string TopField(string path)
    {
        var rest = path.StartsWith("spec.", StringComparison.Ordinal) ? path["spec.".Length..] : path;
        var cut = rest.IndexOfAny(['.', '[']);
        return cut < 0 ? rest : rest[..cut];
    }

    /// <summary>The cell a field path came from: <c>spec.languages[1]</c> is the Languages cell of the row.</summary>
    private (string Where, int Column) Where(int row, string path)
    {
        foreach (var (index, column) in _columns)
        {
            if (column.Field is { } field && (path == field || path.StartsWith(field + ".", StringComparison.Ordinal) || path.StartsWith(field + "[", StringComparison.Ordinal)))
                return (Cell(index, row), index);
        }

        return (path.Length == 0 ? $"{source.Description} row {row}" : $"{source.Description} row {row} ({path})", -1);
    }

    private (IReadOnlyList<FileWrite> Writes, IReadOnlyList<ImportedAgent> Agents) Plan(List<RowAgent> agents)
    {
        var imported = new List<ImportedAgent>();
        var edits = new Dictionary<string, Dictionary<string, IReadOnlyList<FieldEdit>>>(StringComparer.Ordinal);
        var created = new List<(RowAgent Agent, string File)>();
        foreach (var agent in agents)
        {
            if (agent.Existing is { } match)
            {
                var file = match.Source!.File;
                var changes = Changes(agent, match).ToList();
                imported.Add(new ImportedAgent(agent.Row.Number, agent.Name, file, changes.Count == 0 ? ImportAction.Unchanged : ImportAction.Update, [.. changes.Select(c => c.Field)]));
                if (changes.Count > 0)
                {
                    if (!edits.TryGetValue(file, out var perFile))
                        edits[file] = perFile = new Dictionary<string, IReadOnlyList<FieldEdit>>(StringComparer.Ordinal);
                    perFile[agent.Name] = changes;
                }
            }
            else
            {
                var file = FileFor(agent, agents);
                created.Add((agent, file));
                imported.Add(new ImportedAgent(agent.Row.Number, agent.Name, file, ImportAction.Create, []));
            }
        }

        var writes = new List<FileWrite>();
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, perFile) in edits)
            texts[file] = ManifestEditor.Apply(Path.GetRelativePath(outputDirectory, file), File.ReadAllText(file, Encoding.UTF8), "Agent", perFile, SpecOrder);
        var placed = new Dictionary<int, string>();
        foreach (var group in created.GroupBy(c => c.File, StringComparer.Ordinal))
        {
            var part = 1;
            var file = GroupFile.Open(group.Key, texts, () => Header(group.First().Agent));
            foreach (var (agent, _) in group)
            {
                var yaml = ManifestWriter.ToYaml([agent.Loaded!]);
                while (!file.Fits(yaml))
                {
                    file.Close(writes, texts);
                    file = GroupFile.Open(ManifestWriter.ContinuationOf(group.Key, ++part), texts, () => Header(agent));
                }

                file.Append(yaml);
                placed[agent.Row.Number] = file.Path;
            }

            file.Close(writes, texts);
        }

        writes.AddRange(texts.Select(t => new FileWrite(t.Key, t.Value, IsNew: false)));
        return ([.. writes.OrderBy(w => w.Path, StringComparer.Ordinal)], [.. imported.Select(i => placed.TryGetValue(i.Row, out var file) ? i with { File = file } : i)]);
    }

    /// <summary>
    /// A file new agents are added to, kept within what the loader reads of one file (<see cref="ManifestLimits"/>): a
    /// group beyond it, such as 10,001 agents of one business unit, would otherwise be written as a file that
    /// <c>validate</c>, <c>plan</c> and the next import refuse.
    /// </summary>
    private sealed class GroupFile(string path, StringBuilder text, int documents, bool isNew)
    {
        private long _bytes = Encoding.UTF8.GetByteCount(text.ToString());
        private int _documents = documents;

        public string Path { get; } = path;

        /// <summary>The file as the import has it so far (edited, or as on disk), else a new one starting with its header.</summary>
        public static GroupFile Open(string path, Dictionary<string, string> texts, Func<string> header)
        {
            var current = texts.GetValueOrDefault(path) ?? (File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : null);
            return current is null
                ? new GroupFile(path, new StringBuilder(header()), 0, isNew: true)
                : new GroupFile(path, new StringBuilder(current), Documents(current), isNew: false);
        }

        /// <summary>Whether one more document fits; an empty file always takes one, so that every agent finds a file.</summary>
        public bool Fits(string yaml) =>
            _documents == 0 || (_documents < ManifestLimits.Default.MaxDocumentsPerFile
                && _bytes + Separator().Length + Encoding.UTF8.GetByteCount(yaml) <= ManifestLimits.Default.MaxFileBytes);

        public void Append(string yaml)
        {
            var separator = Separator();
            text.Append(separator).Append(yaml);
            _bytes += separator.Length + Encoding.UTF8.GetByteCount(yaml);
            _documents++;
        }

        public void Close(List<FileWrite> writes, Dictionary<string, string> texts)
        {
            if (isNew)
                writes.Add(new FileWrite(Path, text.ToString(), IsNew: true));
            else
                texts[Path] = text.ToString();
        }

        private string Separator() => _documents == 0 ? "" : text[^1] == '\n' ? "---\n" : "\n---\n";

        /// <summary>Documents of a file's text, counted from its <c>---</c> lines: never fewer than the loader counts.</summary>
        private static int Documents(string text) =>
            text.Length == 0 ? 0 : 1 + text.Split('\n').Count(line => line.StartsWith("---", StringComparison.Ordinal));
    }

    private string Header(RowAgent first)
    {
        var group = grouping == ImportGrouping.BusinessUnit
            ? first.Loaded!.Spec.BusinessUnitRefs.FirstOrDefault() is { } unit ? $"business unit {unit.Name}" : "no business unit"
            : $"the team of {first.Loaded!.Spec.SupervisorRef?.Name ?? first.Name}";
        return $"# Agents of {group}, imported from {source.Origin} by `reconciler import`.\n";
    }

    /// <summary>Fields whose asked-for value differs from the manifest (sets compared as sets, empty cells as defaults).</summary>
    private static IEnumerable<FieldEdit> Changes(RowAgent agent, Agent match)
    {
        var current = JsonSerializer.SerializeToNode(match.Spec, SpecJson)!.AsObject();
        foreach (var field in SpecOrder)
        {
            if (!agent.Fields.TryGetValue(field, out var asked))
                continue;
            var wanted = asked ?? Defaults.GetValueOrDefault(field);
            var have = current[field] ?? Defaults.GetValueOrDefault(field);
            if (!Same(field, wanted, have))
                yield return new FieldEdit(field, asked?.DeepClone());
        }
    }

    private static bool Same(string field, JsonNode? a, JsonNode? b)
    {
        static IEnumerable<string> Items(JsonNode? node) => node is JsonArray array ? array.Select(i => i?.ToJsonString() ?? "") : [];
        if (a is null or JsonArray { Count: 0 } && b is null or JsonArray { Count: 0 })
            return true;
        if (SetFields.Contains(field))
            return Items(a).ToHashSet(StringComparer.Ordinal).SetEquals(Items(b)) && Items(a).Count() == Items(b).Count();
        return JsonNode.DeepEquals(a, b);
    }

    /// <summary>Where a new agent goes: its business unit's file, or the file of its nearest supervisor already in the folder.</summary>
    private string FileFor(RowAgent agent, List<RowAgent> agents)
    {
        var folder = Directory.Exists(Path.Combine(outputDirectory, "agents")) ? Path.Combine(outputDirectory, "agents") : outputDirectory;
        var prefix = folder == outputDirectory ? "agents-" : "";
        var spec = agent.Loaded!.Spec;
        if (grouping == ImportGrouping.BusinessUnit)
            return Path.Combine(folder, $"{prefix}{spec.BusinessUnitRefs.FirstOrDefault()?.Name ?? "no-business-unit"}.yaml");

        var rows = _rowsByName ??= agents.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var known = _existingByName ??= existing.OfType<Agent>().ToDictionary(a => a.Metadata.Name, StringComparer.Ordinal);
        var root = agent.Name;
        var visited = new HashSet<string>(StringComparer.Ordinal);
        for (var current = agent; visited.Add(current.Name);)
        {
            var supervisor = current.Loaded!.Spec.SupervisorRef?.Name;
            if (supervisor is null)
                break;
            if (known.TryGetValue(supervisor, out var inFolder) && !rows.ContainsKey(supervisor))
                return inFolder.Source!.File;
            if (rows.TryGetValue(supervisor, out var next) && next.Existing is { } existingSupervisor)
                return existingSupervisor.Source!.File;
            if (next is null)
                break;
            root = supervisor;
            current = next;
        }

        return Path.Combine(folder, $"{prefix}team-{root}.yaml");
    }
}
