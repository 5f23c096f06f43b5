using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Impact;

/// <summary>A person on the platform as impact and guards see them: role, units, level, languages, capacity, active.</summary>
public sealed record Person(string Id, string Email, string Name, string? RoleId, IReadOnlyList<string> UnitIds, string Level, string? SupervisorId, IReadOnlyList<string> Languages, int MaxConcurrentChats, bool Active)
{
    /// <summary>L1 agents are the ones assigned chats automatically, so only they cover a unit's office hours.</summary>
    public bool IsL1 => string.Equals(Level, "L1", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A role and its permissions (built-in roles included, as the platform lists them).</summary>
public sealed record RoleInfo(string Id, string Name, IReadOnlySet<string> Permissions);

/// <summary>A business unit and the office hours that apply to it (its own, else none: the organisation default is resolved by <see cref="OrgSnapshot.HoursOf"/>).</summary>
public sealed record UnitInfo(string Id, string Name, string DisplayName, string? OfficeHoursId);

/// <summary>One opening interval of a weekly schedule: days, local opening and closing time.</summary>
public sealed record OpeningInterval(IReadOnlyList<DayOfWeek> Days, string Opens, string Closes);

/// <summary>A holiday: closed all day, or open with special hours.</summary>
public sealed record HolidayInfo(DateOnly Date, string Name, string? Opens, string? Closes);

/// <summary>Office hours: weekly intervals and holidays in one IANA time zone.</summary>
public sealed record OfficeHoursInfo(string Id, string Name, string TimeZone, IReadOnlyList<OpeningInterval> Weekly, IReadOnlyList<HolidayInfo> Holidays);

/// <summary>An SSO provider as sign-in sees it.</summary>
public sealed record SsoInfo(string Id, string Name, bool Enabled, bool Enforced, IReadOnlySet<string> Domains);

/// <summary>
/// Any platform object routed to a business unit (a wire field <c>businessUnitId</c>): channels and the like, whatever
/// their collection, so a kind that routes chats to a unit is seen by the orphans guard without a change to it.
/// </summary>
public sealed record UnitRoute(string Collection, string Key, string UnitId);

/// <summary>
/// The organisation at one moment (observed, or as a plan would leave it), read from wire objects: the values
/// impact and guards compute over. Ids are platform ids, or pending ids for objects the plan creates.
/// </summary>
public sealed record OrgSnapshot(
    IReadOnlyDictionary<string, Person> People,
    IReadOnlyDictionary<string, RoleInfo> Roles,
    IReadOnlyDictionary<string, UnitInfo> Units,
    IReadOnlyDictionary<string, OfficeHoursInfo> OfficeHours,
    IReadOnlyDictionary<string, SsoInfo> SsoProviders,
    IReadOnlyList<UnitRoute> Routes,
    string? DefaultOfficeHoursId)
{
    /// <summary>Permissions that administer the organisation: managing agents, roles and SSO. A role holding all three (built-in or custom) makes an admin.</summary>
    public static readonly IReadOnlySet<string> AdminPermissions = new HashSet<string>(StringComparer.Ordinal) { "agents.manage", "roles.manage", "sso.manage" };

    // What each wire object reads as, kept as long as the (immutable) object lives: the operator takes a snapshot of a
    // whole organisation for every resource it plans, and re-reading every object's JSON each time made a sync quadratic.
    private static readonly ConditionalWeakTable<PlatformObject, object> Reads = new();

    /// <summary>What a person can do: their role's permissions while active, nothing once deactivated.</summary>
    public IReadOnlySet<string> PermissionsOf(Person person) =>
        person.Active && person.RoleId is { } role && Roles.TryGetValue(role, out var info) ? info.Permissions : new HashSet<string>();

    public bool IsAdmin(Person person) => AdminPermissions.IsSubsetOf(PermissionsOf(person));

    public IEnumerable<Person> Admins => People.Values.Where(IsAdmin);

    public IEnumerable<Person> ActivePeople => People.Values.Where(p => p.Active);

    /// <summary>Seats the account bought, as the platform reports them; null when it has no seat limit.</summary>
    public int? SeatsBought { get; init; }

    /// <summary>How many people are active: the seats they use (counted once per snapshot).</summary>
    public int ActiveCount => _activeCount ??= People.Values.Count(p => p.Active);

    private int? _activeCount;

    public string RoleName(string? id) => id is not null && Roles.TryGetValue(id, out var role) ? role.Name : id ?? "(none)";

    public OfficeHoursInfo? HoursOf(UnitInfo unit) =>
        (unit.OfficeHoursId ?? DefaultOfficeHoursId) is { } id ? OfficeHours.GetValueOrDefault(id) : null;

    /// <summary>Reads the snapshot from wire objects by collection (and the organisation profile's fields).</summary>
    public static OrgSnapshot From(IReadOnlyDictionary<string, IReadOnlyList<PlatformObject>> collections, JsonObject? organization)
    {
        IReadOnlyList<PlatformObject> Of(KindDescription kind) => collections.GetValueOrDefault(kind.Collection!) ?? [];
        return new OrgSnapshot(
            ById(Of(AgentKind.Description), ReadPerson),
            ById(Of(RoleKind.Description), ReadRole),
            ById(Of(BusinessUnitKind.Description), o => new UnitInfo(o.Id, o.Key, Text(o.Fields["displayName"]) ?? o.Key, Text(o.Fields["officeHoursId"]))),
            ById(Of(OfficeHoursKind.Description), ReadHours),
            ById(Of(SsoProviderKind.Description), ReadSso),
            [.. collections.SelectMany(c => c.Value.Select(o => (Object: o, Unit: RoutedUnit(o))).Where(r => r.Unit is not null).Select(r => new UnitRoute(c.Key, r.Object.Key, r.Unit!)))],
            Text(organization?["defaultOfficeHoursId"]))
        {
            SeatsBought = SeatsBoughtOf(organization),
        };
    }

    /// <summary>The seats the account bought, from the organisation profile; null when it has no seat limit.</summary>
    public static int? SeatsBoughtOf(JsonObject? organization) =>
        organization?["licences"]?["seatsBought"] is JsonValue seats && seats.TryGetValue<int>(out var bought) ? bought : null;

    private static Dictionary<string, T> ById<T>(IEnumerable<PlatformObject> objects, Func<PlatformObject, T> read)
        where T : class
    {
        var byId = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var o in objects)
            byId[o.Id] = Read(o, read);
        return byId;
    }

    /// <summary>An agent object as a person; read once per (immutable) object.</summary>
    public static Person PersonOf(PlatformObject o) => Read(o, ReadPerson);

    /// <summary>A role object as its permissions; read once per (immutable) object.</summary>
    public static RoleInfo RoleOf(PlatformObject o) => Read(o, ReadRole);

    private static T Read<T>(PlatformObject o, Func<PlatformObject, T> read)
        where T : class =>
        Reads.TryGetValue(o, out var known) && known is T typed ? typed : Remember(o, read(o));

    private static RoleInfo ReadRole(PlatformObject o) => new(o.Id, o.Key, Strings(o.Fields["permissions"]).ToHashSet(StringComparer.Ordinal));

    private static T Remember<T>(PlatformObject o, T value)
        where T : class
    {
        Reads.AddOrUpdate(o, value);
        return value;
    }

    // Read in place, not remembered: finding one field in an object's JSON costs about what a lookup in a table of every object would.
    private static string? RoutedUnit(PlatformObject o) => Text(o.Json, "businessUnitId"u8);

    // In a document given back at once: the person keeps copies of what it reads, and a first apply reads every person.
    private static Person ReadPerson(PlatformObject o)
    {
        using var json = o.ReadJson();
        var f = json.RootElement;
        return new Person(
            o.Id,
            Text(f, "email"u8) ?? o.Key,
            Text(f, "displayName"u8) ?? o.Key,
            Text(f, "roleId"u8),
            Strings(f, "businessUnitIds"u8),
            Text(f, "level"u8) ?? "L1",
            Text(f, "supervisorId"u8),
            Strings(f, "languages"u8),
            f.TryGetProperty("maxConcurrentChats"u8, out var chats) && chats.ValueKind == JsonValueKind.Number && chats.TryGetInt32(out var max) ? max : 3,
            IsActive(f));
    }

    /// <summary>Whether an agent's wire fields say it is active (<c>active</c> absent or not a boolean: active).</summary>
    internal static bool IsActive(JsonElement fields) => !fields.TryGetProperty("active"u8, out var active) || active.ValueKind != JsonValueKind.False;

    /// <summary>A field of <paramref name="fields"/> when it is text, read in place.</summary>
    internal static string? Text(JsonElement fields, ReadOnlySpan<byte> name) =>
        fields.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The text items of a list field, read in place (anything else in it, or a field that is no list, is none).</summary>
    private static List<string> Strings(JsonElement fields, ReadOnlySpan<byte> name)
    {
        var texts = new List<string>(fields.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array ? array.GetArrayLength() : 0);
        AddStrings(fields, name, texts);
        return texts;
    }

    /// <summary>Adds the text items of a list field to <paramref name="texts"/>, as <see cref="Strings(JsonElement, ReadOnlySpan{byte})"/> reads them.</summary>
    internal static void AddStrings(JsonElement fields, ReadOnlySpan<byte> name, List<string> texts)
    {
        if (!fields.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
            return;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
                texts.Add(item.GetString()!);
        }
    }

    private static OfficeHoursInfo ReadHours(PlatformObject o)
    {
        var f = o.Fields;
        var weekly = (f["weekly"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(w => new OpeningInterval([.. Strings(w["days"]).Select(d => Enum.TryParse<DayOfWeek>(d, ignoreCase: true, out var day) ? day : (DayOfWeek?)null).OfType<DayOfWeek>()], Text(w["opens"]) ?? "00:00", Text(w["closes"]) ?? "24:00"))
            .ToList();
        var holidays = (f["holidays"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(h => DateOnly.TryParseExact(Text(h["date"]), "yyyy-MM-dd", out _))
            .Select(h => new HolidayInfo(DateOnly.ParseExact(Text(h["date"])!, "yyyy-MM-dd"), Text(h["name"]) ?? "", Time(h["opens"]), Time(h["closes"])))
            .ToList();
        return new OfficeHoursInfo(o.Id, Text(f["displayName"]) ?? o.Key, Text(f["timezone"]) ?? "UTC", weekly, holidays);
    }

    private static SsoInfo ReadSso(PlatformObject o)
    {
        var f = o.Fields;
        return new SsoInfo(
            o.Id,
            o.Key,
            f["enabled"] is not JsonValue enabled || !enabled.TryGetValue<bool>(out var on) || on,
            f["enforced"] is JsonValue enforced && enforced.TryGetValue<bool>(out var forced) && forced,
            Strings(f["allowedDomains"]).Select(d => d.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>An HH:MM time (24:00 included), or null for anything else the platform might hold.</summary>
    private static string? Time(JsonNode? node) =>
        Text(node) is { Length: 5 } time && time[2] == ':' && int.TryParse(time[..2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var hours) && int.TryParse(time[3..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minutes) && hours <= 24 && minutes < 60 ? time : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    // A loop, not a query: a changed plan reads every person's lists, and the query's iterators and buffers were a tenth of its impact.
    private static List<string> Strings(JsonNode? node)
    {
        if (node is not JsonArray array)
            return [];
        var texts = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (Text(item) is { } text)
                texts.Add(text);
        }

        return texts;
    }
}
