using System.Text.RegularExpressions;
using Reconciler.Core.Resources;
using Reconciler.Core.Schema;
using Reconciler.Core.Tests.Validation.Rules;
using Reconciler.Platform.Contract.Rules;
using YamlDotNet.RepresentationModel;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Schema;

/// <summary>
/// The CRDs reject at <c>kubectl apply</c> what <c>reconciler validate</c> rejects, as far as OpenAPI and
/// CEL can say it: the validation rules' own tables run through both, and the differences are listed.
/// </summary>
public sealed partial class CrdValidationTests
{
    /// <summary>Cases of <see cref="SemanticRuleTests.Failing"/> that need more than one object or a database, and why.</summary>
    private static readonly Dictionary<string, string> OperatorOnly = new(StringComparer.Ordinal)
    {
        ["a roleRef names a Role or a built-in role"] = "references need the other objects",
        ["businessUnitRefs name BusinessUnits"] = "references need the other objects",
        ["a supervisorRef names an Agent"] = "references need the other objects",
        ["a supervisorRef names an Agent, not a Role"] = "references need the other objects",
        ["an officeHoursRef names OfficeHours"] = "references need the other objects",
        ["a defaultOfficeHoursRef names OfficeHours"] = "references need the other objects",
        ["a defaultRoleRef names a Role or a built-in role"] = "references need the other objects",
        ["two agents cannot supervise each other"] = "cycles span objects",
        ["a longer chain cannot close on itself"] = "cycles span objects",
        ["one Organization per set"] = "counting objects of a kind spans objects",
        ["one PlatformConnection per set"] = "counting objects of a kind spans objects",
        ["agent e-mails are unique"] = "uniqueness across agents spans objects",
        ["agent e-mails are unique regardless of case"] = "uniqueness across agents spans objects",
        ["JWT takes the public half of the key pair, not the private"] = "reading key material needs a PEM and ASN.1 parser",
        ["JWT takes an RSA public key in PEM"] = "reading key material needs a PEM and ASN.1 parser",
        ["SAML takes the identity provider's certificate"] = "reading key material needs a PEM and ASN.1 parser",
        ["SAML takes no private key"] = "reading key material needs a PEM and ASN.1 parser",
        ["the organisation's time zone is checked too"] = "\"Berlin\" has the shape of a single-name zone (like UTC); only a tz database knows it is none",
    };

    public static TheoryData<string, string, string> SemanticFailing => SemanticRuleTests.Failing;

    public static TheoryData<string, string> SemanticPassing => SemanticRuleTests.Passing;

    [Theory]
    [MemberData(nameof(SemanticFailing))]
    public void Crd_RejectsWhatValidateRejects_UnlessOnlyTheOperatorCanTell(string why, string documents, string code)
    {
        _ = code;
        var results = CrdSchemaValidator.ValidateAll(documents);

        if (OperatorOnly.ContainsKey(why))
            results.Should().OnlyContain(r => r.Errors.Count == 0, $"{why} is listed as checked by the operator only");
        else
            results.Should().Contain(r => r.Errors.Count > 0, $"validate rejects it ({why}), so kubectl apply should too");
    }

    [Theory]
    [MemberData(nameof(SemanticPassing))]
    public void Crd_AcceptsWhatValidateAccepts(string why, string documents)
    {
        var results = CrdSchemaValidator.ValidateAll(Background + documents);

        results.Where(r => r.Errors.Count > 0).Should().BeEmpty(why);
    }

    public static TheoryData<string, string, string> Rejected => new()
    {
        // why, document, a fragment of the API server's message
        { "a mobile number is E.164", Agent("a", "mobile: \"12345\""), "spec.mobile: should match" },
        { "an organisation phone is E.164", Doc("Organization", "o", "displayName: O\ntimezone: UTC\ncontact: {phone: \"030 123456\"}"), "spec.contact.phone: should match" },
        { "a time zone has an IANA area", Doc("Organization", "o", "displayName: O\ntimezone: Mars/Olympus"), "spec.timezone: should match" },
        { "a time zone has no spaces", Doc("Organization", "o", "displayName: O\ntimezone: \"W. Europe Standard Time\""), "spec.timezone: should match" },
        { "a time zone is not a path", Doc("Organization", "o", "displayName: O\ntimezone: ../../etc/passwd"), "spec.timezone: should match" },
        { "February has no 30th", Hours("holidays: [{date: \"2026-02-30\", name: X}]"), "spec.holidays[0].date: must be a calendar date" },
        { "February 29th only in leap years", Hours("holidays: [{date: \"2027-02-29\", name: X}]"), "spec.holidays[0].date: must be a calendar date" },
        { "centuries are leap years only every 400 years", Hours("holidays: [{date: \"2100-02-29\", name: X}]"), "spec.holidays[0].date: must be a calendar date" },
        { "April has 30 days", Hours("holidays: [{date: \"2026-04-31\", name: X}]"), "spec.holidays[0].date: must be a calendar date" },
        { "there is no 13th month", Hours("holidays: [{date: \"2026-13-01\", name: X}]"), "spec.holidays[0].date: must be a calendar date" },
        { "there is no day 0", Hours("holidays: [{date: \"2026-01-00\", name: X}]"), "spec.holidays[0].date: must be a calendar date" },
        { "a holiday is listed once", Hours("holidays: [{date: \"2026-12-25\", name: A}, {date: \"2026-12-25\", name: B}]"), "spec.holidays: Duplicate value" },
        { "special hours come in pairs", Hours("holidays: [{date: \"2026-12-24\", name: Eve, opens: \"08:00\"}]"), "spec.holidays[0].opens: special hours need both" },
        { "special hours close after they open", Hours("holidays: [{date: \"2026-12-24\", name: Eve, opens: \"12:00\", closes: \"08:00\"}]"), "spec.holidays[0].closes: closes must be after opens" },
        { "an interval opens before it closes", Hours("weekly: [{days: [Monday], opens: \"18:00\", closes: \"09:00\"}]"), "spec.weekly[0].closes: closes must be after opens" },
        { "intervals of one day do not overlap", Hours("weekly: [{days: [Monday, Tuesday], opens: \"09:00\", closes: \"12:00\"}, {days: [Tuesday], opens: \"11:00\", closes: \"13:00\"}]"), "spec.weekly: intervals of one day must not overlap" },
        { "the same interval twice overlaps itself", Hours("weekly: [{days: [Monday], opens: \"09:00\", closes: \"12:00\"}, {days: [Monday], opens: \"09:00\", closes: \"12:00\"}]"), "spec.weekly: intervals of one day must not overlap" },
        { "a day is listed once", Hours("weekly: [{days: [Monday, Monday], opens: \"09:00\", closes: \"12:00\"}]"), "spec.weekly[0].days: Duplicate value" },
        { "a capability is listed once", Agent("a", "capabilities: [Chat, Chat]"), "spec.capabilities: Duplicate value" },
        { "a business unit is listed once", Agent("a", "businessUnitRefs: [{name: support}, {name: support}]"), "spec.businessUnitRefs: Duplicate value" },
        { "a language is listed once, ignoring case", Agent("a", "languages: [en, EN]"), "spec.languages: languages must be distinct, ignoring case" },
        { "a category is listed once, ignoring case", Agent("a", "categories: [billing, Billing]"), "spec.categories: categories must be distinct, ignoring case" },
        { "a language is a BCP-47 tag", Agent("a", "languages: [en_US]"), "spec.languages[0]: should match" },
        { "a reference names a Kubernetes object", Agent("a", "supervisorRef: {name: Team_Lead}"), "spec.supervisorRef.name: should match" },
        { "an agent does not supervise itself", Agent("a", "supervisorRef: {name: a}"), "spec.supervisorRef.name: an agent cannot supervise itself" },
        { "an e-mail has a dotted domain", Agent("a", email: "a@localhost"), "spec.email: should match" },
        { "tag names are unique", Doc("TagGroup", "t", "displayName: T\ntags: [{name: vip}, {name: vip}]"), "spec.tags: Duplicate value" },
        { "tag names are unique, ignoring case", Doc("TagGroup", "t", "displayName: T\ntags: [{name: VIP}, {name: vip}]"), "spec.tags: tag names must be distinct, ignoring case" },
        { "a tag colour is #RRGGBB", Doc("TagGroup", "t", "displayName: T\ntags: [{name: a, color: red}]"), "spec.tags[0].color: should match" },
        { "a URL is http(s)", Doc("Organization", "o", "displayName: O\ntimezone: UTC\nlogoUrl: ftp://acme.example/logo.png"), "spec.logoUrl: should match" },
        { "a URL is absolute", Doc("PlatformConnection", "p", "url: acme"), "spec.url: should match" },
        { "built-in roles cannot be defined", Doc("Role", "admin", "displayName: Admin"), "metadata.name is a built-in role" },
        { "a permission is listed once", Doc("Role", "r", "displayName: R\npermissions: [agents.read, agents.read]"), "spec.permissions: Duplicate value" },
        { "a permission name is lowercase dotted words", Doc("Role", "r", "displayName: R\npermissions: [Agents.Read]"), "spec.permissions[0]: should match" },
        { "Okta needs its issuer", Sso("type: Okta\noidc: {clientId: c, clientSecretRef: {name: s, key: k}}"), "spec.oidc: type Okta needs oidc.issuerUrl" },
        { "an enforced provider is enabled", Sso("type: Google\nenabled: false\nenforced: true\nallowedDomains: [acme.example]\n" + Oidc), "spec.enforced: enforced: true turns password login off" },
        { "an enforced provider names its domains", Sso("type: Google\nenforced: true\n" + Oidc), "spec.enforced: enforced: true needs allowedDomains" },
        { "allowed domains are domain names", Sso("type: Google\nallowedDomains: [\"@acme.example\"]\n" + Oidc), "spec.allowedDomains[0]: should match" },
        { "allowed domains are listed once, ignoring case", Sso("type: Google\nallowedDomains: [acme.example, ACME.example]\n" + Oidc), "spec.allowedDomains: allowedDomains must be distinct, ignoring case" },
        { "SAML takes metadata or manual settings, not both", Sso("type: Saml\nsaml: {metadataUrl: \"https://idp.example/m\", entityId: e}"), "spec.saml: give either metadataUrl or entityId" },
        { "SAML manual settings come complete", Sso("type: Saml\nsaml: {entityId: e, ssoUrl: \"https://idp.example/sso\"}"), "spec.saml: give either metadataUrl or entityId" },
        { "a resync interval of 0s", Doc("PlatformConnection", "p", "resyncInterval: 0s"), "spec.resyncInterval: must be a duration of at least 1s" },
        { "an audit poll interval under its least", Doc("PlatformConnection", "p", "auditPollInterval: 99ms"), "spec.auditPollInterval: must be a duration of at least 100ms" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Crd_RejectsTheCase_AndValidateRejectsItToo(string why, string document, string message)
    {
        var errors = CrdSchemaValidator.ValidateAll(document).Single().Errors;

        errors.Should().Contain(e => e.Contains(message, StringComparison.Ordinal), $"{why}; got: {string.Join("; ", errors)}");
        Validate(document).IsValid.Should().BeFalse($"validate should reject it too ({why})");
    }

    public static TheoryData<string, string> Accepted => new()
    {
        { "a leap day every 400 years", Hours("holidays: [{date: \"2000-02-29\", name: Leap}]") },
        { "the last day of the year", Hours("holidays: [{date: \"2026-12-31\", name: NYE, opens: \"08:00\", closes: \"12:00\"}]") },
        { "a day that closes at midnight", Hours("weekly: [{days: [Friday], opens: \"18:00\", closes: \"24:00\"}]") },
        { "touching intervals", Hours("weekly: [{days: [Monday], opens: \"08:00\", closes: \"12:00\"}, {days: [Monday, Tuesday], opens: \"12:00\", closes: \"18:00\"}]") },
        { "zones with three parts", Doc("Organization", "o", "displayName: O\ntimezone: America/Argentina/Buenos_Aires") },
        { "Etc zones with signs", Doc("Organization", "o", "displayName: O\ntimezone: Etc/GMT+5") },
        { "single-name zones", Doc("Organization", "o", "displayName: O\ntimezone: UTC") },
        { "irregular and mixed-case language tags", Agent("a", "languages: [i-klingon, EN-us, zh-Hant-TW, x-private]") },
        { "distinct categories", Agent("a", "categories: [billing, shipping]") },
        { "an Okta provider with its issuer, enforced for its domains", Sso("type: Okta\nenforced: true\nallowedDomains: [acme.example]\noidc: {issuerUrl: \"https://acme.okta.example\", clientId: c, clientSecretRef: {name: s, key: k}}") },
        { "the least intervals", Doc("PlatformConnection", "p", "resyncInterval: 1s\nauditPollInterval: 100ms") },
        { "intervals in mixed units", Doc("PlatformConnection", "p", "resyncInterval: 1h30m\nauditPollInterval: 1s500ms") },
        { "http URLs with ports, paths and queries", Doc("Organization", "o", "displayName: O\ntimezone: UTC\nlogoUrl: \"HTTPS://cdn.acme.example:8443/logo.png?v=2#top\"") },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void Crd_AcceptsTheCase_AndValidateAcceptsItToo(string why, string document)
    {
        var errors = CrdSchemaValidator.ValidateAll(document).Single().Errors;

        errors.Should().BeEmpty(why);
        Validate(document).Errors().Should().BeEmpty(why);
    }

    [Fact]
    public void ExampleManifests_PassTheCrds()
    {
        var folder = Path.Combine(RepositoryRoot.Path, "examples", "acme-support");
        var files = Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories);

        var results = files.SelectMany(f => CrdSchemaValidator.ValidateAll(File.ReadAllText(f)).Select(r => (File: Path.GetFileName(f), r.Name, r.Errors))).ToList();

        results.Should().HaveCountGreaterThan(50);
        results.Where(r => r.Errors.Count > 0).Should().BeEmpty();
    }

    public static TheoryData<string, string, string> Rules()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (kind, path, rule, _) in AllRules())
            data.Add(kind, path, rule);
        return data;
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void EveryCelRule_ParsesWithACelImplementation(string kind, string path, string rule)
    {
        var parse = () => KubernetesCel.Create().Parse(rule);

        parse.Should().NotThrow($"{kind} {path}");
    }

    private static readonly HashSet<string> KubernetesFunctions =
    [
        // CEL standard library and macros
        "has", "all", "exists", "exists_one", "map", "filter", "size", "matches", "int", "string", "duration",
        // Kubernetes' extended strings library (cel-go ext.Strings)
        "lowerAscii", "replace", "substring",
    ];

    [Theory]
    [MemberData(nameof(Rules))]
    public void EveryCelRule_CallsOnlyFunctionsTheApiServerOffers(string kind, string path, string rule)
    {
        var calls = Call().Matches(rule).Select(m => m.Groups[1].Value).Distinct();

        calls.Should().BeSubsetOf(KubernetesFunctions, $"{kind} {path}");
        KubernetesCel.ExtensionFunctions.Should().BeSubsetOf(KubernetesFunctions);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void EveryCelRule_ReadsOnlyFieldsOfItsSchema(string kind, string path, string rule)
    {
        var (_, _, _, node) = AllRules().First(r => r.Kind == kind && r.Path == path && r.Rule == rule);

        foreach (Match access in FieldAccess().Matches(rule))
        {
            var variable = access.Groups["var"].Value;

            // self is the node; a comprehension variable is an item of the list the rule is on.
            var schema = variable == "self" ? node : node.Map("items");
            foreach (var field in access.Groups["field"].Captures.Select(c => c.Value))
            {
                if (schema.Scalar("type") != "object" || schema.Children.Count == 0)
                    break;
                if (!schema.Children.ContainsKey(new YamlScalarNode("properties")))
                {
                    field.Should().Be("name", $"only metadata.name is visible under metadata ({kind} {path}: {rule})");
                    break;
                }

                schema.Map("properties").Children.Should().ContainKey(new YamlScalarNode(field), $"{kind} {path}: {rule}");
                schema = schema.Map("properties").Map(field);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void EveryCelRule_HasABoundedCost_ListsItCrossesHaveMaxItemsAndStringsItReadsMaxLength(string kind, string path, string rule)
    {
        // The API server estimates a rule's cost from maxItems and maxLength, multiplied by the
        // maxItems of every list above it; without them the estimate is unbounded and the CRD is refused.
        var (_, _, _, node) = AllRules().First(r => r.Kind == kind && r.Path == path && r.Rule == rule);
        var unbounded = new List<string>();
        var ancestors = AncestorsOf(kind, path);
        unbounded.AddRange(ancestors.Where(a => a.Node.Scalar("type") == "array" && a.Node.Scalar("maxItems") is null).Select(a => a.Path));
        if (Comprehension().IsMatch(rule) || StringFunction().IsMatch(rule))
            Unbounded(node, path, unbounded);

        unbounded.Should().BeEmpty($"{kind} {path}: {rule}");
    }

    [Fact]
    public void EveryPattern_UsesOnlySyntaxThatRe2Understands()
    {
        var patterns = ResourceCatalog.Kinds.SelectMany(k => Nodes(RootsByKind[k.Kind], k.Kind))
            .Select(n => n.Node.Scalar("pattern"))
            .OfType<string>()
            .Distinct()
            .ToList();

        patterns.Should().NotBeEmpty();
        foreach (var pattern in patterns)
        {
            // Lookarounds, backreferences, atomic groups and .NET-style named groups are not RE2.
            pattern.Should().NotMatchRegex(@"\(\?(=|!|<=|<!|>|<[A-Za-z])|\\[1-9]|\\k<", pattern);
            var compile = () => new Regex(pattern);
            compile.Should().NotThrow();
        }
    }

    [Fact]
    public void TimeZonePattern_AcceptsEveryZoneValidateAccepts()
    {
        var zones = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).ToHashSet(StringComparer.Ordinal);
        const string ZoneInfo = "/usr/share/zoneinfo";
        if (Directory.Exists(ZoneInfo))
        {
            // Every file of the tz database, links included; posix/ and right/ are copies with prefixes,
            // and localtime is this machine's own zone, not an id.
            zones.UnionWith(Directory.EnumerateFiles(ZoneInfo, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(ZoneInfo, f))
                .Where(f => !f.StartsWith("posix", StringComparison.Ordinal) && !f.StartsWith("right", StringComparison.Ordinal)
                    && !f.Contains('.', StringComparison.Ordinal) && f != "localtime"));
        }

        var accepted = zones.Where(WireFormats.IsIanaTimeZone).ToList();
        accepted.Should().Contain(["Europe/Berlin", "America/Sao_Paulo", "UTC"]);
        accepted.Count.Should().BeGreaterThan(300);

        accepted.Where(z => !Regex.IsMatch(z, Patterns.TimeZone)).Should().BeEmpty("the CRD must not refuse a zone validate accepts");
        WireFormats.IsIanaTimeZone("Mars/Olympus").Should().BeFalse();
        Regex.IsMatch("Mars/Olympus", Patterns.TimeZone).Should().BeFalse();
    }

    private static string Hours(string extra) => Doc("OfficeHours", "oh", $"timezone: UTC\n{extra}");

    private static string Sso(string spec) => Doc("SsoProvider", "sso", spec);

    private const string Oidc = "oidc: {clientId: c, clientSecretRef: {name: s, key: k}}";

    private static readonly Dictionary<string, YamlMappingNode> RootsByKind =
        ResourceCatalog.Kinds.ToDictionary(k => k.Kind, k => CrdYaml.Root(CrdYaml.Load(CrdGenerator.Generate(k))), StringComparer.Ordinal);

    private static IEnumerable<(string Kind, string Path, string Rule, YamlMappingNode Node)> AllRules() =>
        ResourceCatalog.Kinds.SelectMany(k => Nodes(RootsByKind[k.Kind], k.Kind)
            .Where(n => n.Node.Children.ContainsKey(new YamlScalarNode("x-kubernetes-validations")))
            .SelectMany(n => ((YamlSequenceNode)n.Node.Children[new YamlScalarNode("x-kubernetes-validations")])
                .Cast<YamlMappingNode>()
                .Select(r => (k.Kind, n.Path, r.Scalar("rule")!, n.Node))));

    /// <summary>Every schema node with its path (properties by name, list items as []).</summary>
    private static IEnumerable<(string Path, YamlMappingNode Node)> Nodes(YamlMappingNode node, string path)
    {
        yield return (path, node);
        if (node.Children.TryGetValue(new YamlScalarNode("properties"), out var properties))
        {
            foreach (var (key, child) in ((YamlMappingNode)properties).Children)
            {
                foreach (var n in Nodes((YamlMappingNode)child, $"{path}.{((YamlScalarNode)key).Value}"))
                    yield return n;
            }
        }

        if (node.Children.TryGetValue(new YamlScalarNode("items"), out var items))
        {
            foreach (var n in Nodes((YamlMappingNode)items, path + "[]"))
                yield return n;
        }
    }

    private static List<(string Path, YamlMappingNode Node)> AncestorsOf(string kind, string path)
    {
        var all = Nodes(RootsByKind[kind], kind).ToList();
        return [.. all.Where(n => path.StartsWith(n.Path + ".", StringComparison.Ordinal) || path.StartsWith(n.Path + "[", StringComparison.Ordinal))];
    }

    private static void Unbounded(YamlMappingNode node, string path, List<string> unbounded)
    {
        foreach (var (childPath, child) in Nodes(node, path))
        {
            if (child.Scalar("type") == "array" && child.Scalar("maxItems") is null)
                unbounded.Add(childPath + " (no maxItems)");
            if (child.Scalar("type") == "string" && child.Scalar("maxLength") is null)
                unbounded.Add(childPath + " (no maxLength)");
        }
    }

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\(")]
    private static partial Regex Call();

    [GeneratedRegex(@"\.(all|exists|exists_one|map|filter)\(")]
    private static partial Regex Comprehension();

    [GeneratedRegex(@"\.(lowerAscii|replace|substring|matches)\(")]
    private static partial Regex StringFunction();

    // self.a.b, or a one-letter comprehension variable a.b, not followed by a call.
    [GeneratedRegex(@"(?<![A-Za-z0-9_.'])(?<var>self|[a-z])(?:\.(?<field>[A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_]*\())+")]
    private static partial Regex FieldAccess();
}
