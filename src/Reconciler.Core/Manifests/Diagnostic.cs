using Reconciler.Core.Resources;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Manifests;

/// <summary>How bad a diagnostic is: errors make a manifest set invalid, warnings do not.</summary>
public enum DiagnosticSeverity
{
    Error,
    Warning,
}

/// <summary>One problem found in a manifest, pointing at the node it is about.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Code">Stable, kebab-case identifier of the rule (see <see cref="DiagnosticCodes"/>).</param>
/// <param name="Message">What is wrong and what was expected; never contains a secret value.</param>
/// <param name="File">The file as given to the loader (or the name given for a string).</param>
/// <param name="Line">1-based line; 0 when the problem concerns the whole file.</param>
/// <param name="Column">1-based column; 0 when the problem concerns the whole file.</param>
/// <param name="Path">Field path within the resource, e.g. <c>spec.businessUnitRefs[1].name</c>; empty for file-level problems.</param>
public sealed record Diagnostic(
    DiagnosticSeverity Severity,
    string Code,
    string Message,
    string File,
    int Line,
    int Column,
    string Path)
{
    // Paths hold user keys (labels, texts by language): long enough for any real path, short enough that a huge key
    // repeated by aliases does not fill the report.
    private const int MaxPathLength = 256;

    public static Diagnostic Error(string code, SourceLocation at, string path, string message) =>
        new(DiagnosticSeverity.Error, code, message, at.File, at.Line, at.Column, Bounded(path));

    public static Diagnostic Warning(string code, SourceLocation at, string path, string message) =>
        new(DiagnosticSeverity.Warning, code, message, at.File, at.Line, at.Column, Bounded(path));

    /// <summary>
    /// The other place <see cref="Message"/> names (a duplicate's first definition), as <see cref="SourceLocation.ToString"/>
    /// writes it with the file as given to the loader; a report names that file as it names <see cref="File"/>.
    /// </summary>
    public SourceLocation? Related { get; init; }

    private static string Bounded(string path) => path.Length <= MaxPathLength ? path : Excerpt.Of(path, MaxPathLength);

    public bool IsError => Severity == DiagnosticSeverity.Error;

    public override string ToString() =>
        Path.Length == 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}:{Line}:{Column}: {Path}: {Message}";
}

/// <summary>A 1-based position in a file; the loader's own type, convertible to the model's <see cref="Resources.SourceSpan"/>.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public Resources.SourceSpan ToSpan() => new(File, Line, Column);

    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>The stable codes of every diagnostic; tools and tests match on these, not on messages.</summary>
public static class DiagnosticCodes
{
    // Files and YAML
    public const string FileNotFound = "file-not-found";
    public const string SymlinkLoop = "symlink-loop";
    public const string SymlinkOutside = "symlink-outside";
    public const string NotRegularFile = "not-regular-file";
    public const string FileUnreadable = "file-unreadable";
    public const string FileTooLarge = "file-too-large";
    public const string NoManifests = "no-manifests";
    public const string InvalidEncoding = "invalid-encoding";
    public const string YamlSyntax = "yaml-syntax";
    public const string TabIndentation = "yaml-tab-indentation";
    public const string ControlCharacter = "yaml-control-character";
    public const string DuplicateKey = "yaml-duplicate-key";
    public const string NonScalarKey = "yaml-non-scalar-key";
    public const string UnrenderedTemplate = "unrendered-template";
    public const string MergeKey = "yaml-merge-key";
    public const string TooDeep = "yaml-too-deep";
    public const string AliasExpansion = "yaml-alias-expansion";
    public const string TooManyDocuments = "yaml-too-many-documents";
    public const string TooManyProblems = "too-many-problems";
    public const string NotAMapping = "document-not-a-mapping";
    public const string NestedList = "nested-list";

    // Structure, driven by the model's types and attributes
    public const string UnknownApiVersion = "unknown-api-version";
    public const string UnknownKind = "unknown-kind";
    public const string UnknownField = "unknown-field";
    public const string WrongType = "wrong-type";
    public const string MissingRequired = "missing-required";
    public const string EnumValue = "enum-value";
    public const string OutOfRange = "out-of-range";
    public const string OctalInteger = "octal-integer";
    public const string Length = "length";
    public const string Pattern = "pattern";
    public const string Email = "email";
    public const string Url = "url";
    public const string InlineSecret = "inline-secret";
    public const string DuplicateResource = "duplicate-resource";

    // Semantics, over the typed set
    public const string ReferenceNotFound = "reference-not-found";
    public const string SupervisorCycle = "supervisor-cycle";
    public const string SelfSupervision = "self-supervision";
    public const string Singleton = "singleton";
    public const string BuiltInRole = "built-in-role";

    /// <summary>A resource redefines one of the platform's built-in objects of its kind (built-in-role).</summary>
    public static string BuiltIn(string kind) => "built-in-" + ResourceCatalog.Find(kind)!.Description.Noun.Replace(' ', '-');
    public const string TimeZone = "time-zone";
    public const string IntervalOrder = "interval-order";
    public const string IntervalOverlap = "interval-overlap";
    public const string DuplicateDay = "duplicate-day";
    public const string InvalidDate = "invalid-date";
    public const string DuplicateHoliday = "duplicate-holiday";
    public const string HolidayHours = "holiday-hours";
    public const string DuplicateEmail = "duplicate-email";

    /// <summary>Two resources of a kind share the natural key held in <paramref name="keyPath"/> (duplicate-email for <c>spec.email</c>).</summary>
    public static string DuplicateNaturalKey(string keyPath) => "duplicate-" + keyPath[(keyPath.LastIndexOf('.') + 1)..];
    public const string Phone = "phone";
    public const string LanguageTag = "language-tag";
    public const string DuplicateItem = "duplicate-item";
    public const string SsoFields = "sso-fields";
    public const string SsoEnforced = "sso-enforced";
    public const string PublicKey = "public-key";
    public const string Certificate = "certificate";
    public const string PrivateKey = "private-key";
    public const string PermissionName = "permission-name";
    public const string Domain = "domain";
    public const string ScheduleTime = "schedule-time";
    public const string ScheduleOrder = "schedule-order";
    public const string ScheduleOverlap = "schedule-overlap";
    public const string ScheduleNeverOpens = "schedule-never-opens";
    public const string OwnedField = "owned-field";
    public const string FieldOwners = "field-owners";
    public const string Shortcut = "shortcut";
    public const string Placeholder = "placeholder";
    public const string DuplicateShortcut = "duplicate-shortcut";
    public const string UnspokenLanguage = "unspoken-language";
}
