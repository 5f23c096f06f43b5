using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Reconciler.Core.Resources;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Reconciler.Core.Tests.Examples;

/// <summary>
/// Stand-in for <c>reconciler validate</c> on <c>examples/acme-support/</c> until the loader lands:
/// every document deserialises strictly into the Core types and the example's facts hold.
/// </summary>
public sealed partial class AcmeSupportExampleTests
{
    private static readonly string ExampleDirectory = Path.Combine(RepositoryRoot.Path, "examples", "acme-support");

    private static readonly Lazy<IReadOnlyList<LoadedDocument>> Documents = new(LoadAll);

    private static IReadOnlyList<Resource> Resources => [.. Documents.Value.Select(d => d.Resource)];

    private static IEnumerable<T> All<T>() => Resources.OfType<T>();

    [Fact]
    public void EveryDocument_HasOurApiVersion_AKnownKind_AndNoNamespace()
    {
        Documents.Value.Should().NotBeEmpty();
        foreach (var document in Documents.Value)
        {
            document.ApiVersion.Should().Be(Resource.GroupVersion, document.Where);
            ResourceCatalog.Find(document.Resource.Kind).Should().NotBeNull(document.Where);
            document.Resource.Metadata.Namespace.Should().BeNull($"{document.Where} must stay namespace-free so `kubectl apply -n` works");
        }
    }

    [Fact]
    public void EveryKind_IsPresent_AndNoResourceIsDefinedTwice()
    {
        Resources.Select(r => r.Kind).Distinct().Should().BeEquivalentTo(ResourceCatalog.Kinds.Select(k => k.Kind));
        Resources.GroupBy(r => r.Id).Where(g => g.Count() > 1).Select(g => g.Key).Should().BeEmpty();
        All<Organization>().Should().ContainSingle();
        All<PlatformConnection>().Should().ContainSingle();
    }

    [Fact]
    public void EverySpec_SatisfiesItsDataAnnotations()
    {
        var problems = new List<string>();
        foreach (var document in Documents.Value)
        {
            ValidateRecursively(document.Resource.Metadata, $"{document.Where} metadata", problems);
            ValidateRecursively(document.Resource.SpecObject, $"{document.Where} spec", problems);
        }

        problems.Should().BeEmpty();
    }

    [Fact]
    public void Agents_AreManyAcrossAllLevels_WithOneDeactivated()
    {
        var agents = All<Agent>().ToList();
        agents.Should().HaveCountGreaterThanOrEqualTo(25);
        agents.Select(a => a.Spec.Level).Distinct().Should().BeEquivalentTo(Enum.GetValues<AgentLevel>());
        agents.Where(a => !a.Spec.Active).Should().ContainSingle();
        agents.SelectMany(a => a.Spec.Capabilities).Distinct().Should().BeEquivalentTo(Enum.GetValues<AgentCapability>());
        agents.SelectMany(a => a.Spec.Languages).Distinct().Should().HaveCountGreaterThanOrEqualTo(6);
        agents.Should().OnlyContain(a => a.Spec.Languages.All(l => LanguageTag().IsMatch(l)));
    }

    [Fact]
    public void AgentEmails_AreUniqueIgnoringCase_AndPhonesAreE164()
    {
        var agents = All<Agent>().ToList();
        agents.GroupBy(a => a.Spec.Email, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)
            .Should().BeEmpty();
        agents.Should().OnlyContain(a => a.Spec.Email.EndsWith("@acme.example", StringComparison.Ordinal));
        agents.Should().OnlyContain(a => a.Spec.Mobile != null && E164().IsMatch(a.Spec.Mobile));
        All<Organization>().Single().Spec.Contact!.Phone.Should().MatchRegex(E164().ToString());
    }

    [Fact]
    public void EveryReference_ResolvesWithinTheSetOrToABuiltInRole()
    {
        var names = Resources.Select(r => r.Id).ToHashSet();
        var problems = new List<string>();

        void Check(Resource from, string field, string kind, ResourceRef? reference)
        {
            if (reference is null || names.Contains(new ResourceId(kind, reference.Name)))
                return;
            if (kind == nameof(Role) && Role.BuiltIn.Contains(reference.Name))
                return;
            problems.Add($"{from.Id} {field}: {kind}/{reference.Name} not found");
        }

        foreach (var agent in All<Agent>())
        {
            Check(agent, "roleRef", nameof(Role), agent.Spec.RoleRef);
            Check(agent, "supervisorRef", nameof(Agent), agent.Spec.SupervisorRef);
            foreach (var unit in agent.Spec.BusinessUnitRefs)
                Check(agent, "businessUnitRefs", nameof(BusinessUnit), unit);
        }

        foreach (var unit in All<BusinessUnit>())
            Check(unit, "officeHoursRef", nameof(OfficeHours), unit.Spec.OfficeHoursRef);
        foreach (var sso in All<SsoProvider>())
            Check(sso, "defaultRoleRef", nameof(Role), sso.Spec.DefaultRoleRef);
        var organization = All<Organization>().Single();
        Check(organization, "defaultOfficeHoursRef", nameof(OfficeHours), organization.Spec.DefaultOfficeHoursRef);

        problems.Should().BeEmpty();
        All<Agent>().Select(a => a.Spec.RoleRef.Name).Should().Contain(Role.BuiltIn, "the example shows every built-in role");
    }

    [Fact]
    public void Supervisors_FormATreeWithoutCycles()
    {
        var supervisorOf = All<Agent>().ToDictionary(a => a.Metadata.Name, a => a.Spec.SupervisorRef?.Name);
        foreach (var start in supervisorOf.Keys)
        {
            var seen = new HashSet<string>();
            for (var current = start; current is not null; current = supervisorOf.GetValueOrDefault(current))
                seen.Add(current).Should().BeTrue($"the supervisor chain from {start} returns to {current}");
        }

        supervisorOf.Values.Count(v => v is null).Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public void OfficeHours_SpanTimeZones_WithOrderedNonOverlappingIntervals_AndHolidays()
    {
        var hours = All<OfficeHours>().ToList();
        hours.Select(h => h.Spec.Timezone).Distinct().Should().HaveCountGreaterThanOrEqualTo(2);
        foreach (var h in hours)
        {
            TimeZoneInfo.FindSystemTimeZoneById(h.Spec.Timezone).Should().NotBeNull();
            h.Spec.Holidays.Should().NotBeEmpty();
            foreach (var interval in h.Spec.Weekly)
                string.CompareOrdinal(interval.Opens, interval.Closes).Should().BeNegative($"{h.Id} {interval.Opens}-{interval.Closes}");
            foreach (var day in Enum.GetValues<DayOfWeek>())
            {
                var intervals = h.Spec.Weekly.Where(w => w.Days.Contains(day)).OrderBy(w => w.Opens, StringComparer.Ordinal).ToList();
                for (var i = 1; i < intervals.Count; i++)
                    string.CompareOrdinal(intervals[i - 1].Closes, intervals[i].Opens).Should().BeLessThanOrEqualTo(0, $"{h.Id} overlaps on {day}");
            }

            foreach (var holiday in h.Spec.Holidays)
                DateOnly.TryParseExact(holiday.Date, "yyyy-MM-dd", out _).Should().BeTrue($"{h.Id} {holiday.Date}");
        }

        hours.SelectMany(h => h.Spec.Holidays).Should().Contain(d => d.Opens != null && d.Closes != null, "some holidays have special hours");
    }

    [Fact]
    public void SsoProviders_CoverEveryType_AndHoldSecretsOnlyByReference()
    {
        var providers = All<SsoProvider>().ToList();
        providers.Select(p => p.Spec.Type).Distinct().Should().BeEquivalentTo(Enum.GetValues<SsoType>());
        foreach (var p in providers)
        {
            // The same rules the CRD states in CEL.
            var oidc = p.Spec.Type is SsoType.Google or SsoType.Microsoft or SsoType.Okta;
            (p.Spec.Oidc is not null).Should().Be(oidc, p.Id.ToString());
            (p.Spec.Saml is not null).Should().Be(p.Spec.Type == SsoType.Saml, p.Id.ToString());
            (p.Spec.Jwt is not null).Should().Be(p.Spec.Type == SsoType.Jwt, p.Id.ToString());
            if (oidc)
                p.Spec.Oidc!.ClientSecretRef.Key.Should().NotBeNullOrEmpty();
        }

        providers.Single(p => p.Spec.Type == SsoType.Microsoft).Spec.Oidc!.TenantId.Should().NotBeNullOrEmpty();
        providers.Single(p => p.Spec.Type == SsoType.Okta).Spec.Oidc!.IssuerUrl.Should().NotBeNullOrEmpty();
        providers.Single(p => p.Spec.Type == SsoType.Saml).Spec.Saml!.MetadataUrl.Should().NotBeNullOrEmpty();
        providers.Single(p => p.Spec.Type == SsoType.Jwt).Spec.Jwt!.PublicKey.Should().StartWith("-----BEGIN PUBLIC KEY-----");
        Directory.GetFiles(ExampleDirectory, "*.yaml", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .Should().NotContain(text => text.Contains("clientSecret:", StringComparison.Ordinal) || text.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public void BusinessUnits_TagGroups_AndRoles_AreThoseOfTheSeeds()
    {
        All<BusinessUnit>().Select(b => b.Metadata.Name).Should().Contain(["sales", "support", "billing"]);
        All<TagGroup>().Select(t => t.Spec.AppliesTo).Distinct().Should().BeEquivalentTo(Enum.GetValues<TagTarget>());
        All<TagGroup>().Should().OnlyContain(g => g.Spec.Tags.Select(t => t.Name).Distinct().Count() == g.Spec.Tags.Count);
        All<Role>().Should().NotContain(r => Role.BuiltIn.Contains(r.Metadata.Name), "built-in roles cannot be defined");
        All<Role>().SelectMany(r => r.Spec.Permissions).Should().OnlyContain(p => PermissionName().IsMatch(p));
        var connection = All<PlatformConnection>().Single().Spec;
        connection.Url.Should().BeNull("the example runs against the embedded platform");
        connection.TokenSecretRef.Should().NotBeNull();
        connection.DriftPolicy.Should().Be(DriftPolicy.Correct);
        connection.Prune.Should().BeFalse();
    }

    private static void ValidateRecursively(object? value, string where, List<string> problems)
    {
        switch (value)
        {
            case null or string or Enum or ValueType:
                return;
            case System.Collections.IEnumerable items:
                var i = 0;
                foreach (var item in items)
                    ValidateRecursively(item, $"{where}[{i++}]", problems);
                return;
        }

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
            problems.AddRange(results.Select(r => $"{where}: {r.ErrorMessage}"));
        foreach (var property in value.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0))
        {
            if (property.PropertyType.Namespace == typeof(Resource).Namespace || property.PropertyType.IsGenericType)
                ValidateRecursively(property.GetValue(value), $"{where}.{property.Name}", problems);
        }
    }

    private static List<LoadedDocument> LoadAll()
    {
        // Strict: an unknown or misspelt field fails the load, as the real validator will report it.
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .WithNodeTypeResolver(new ReadOnlyCollectionTypeResolver())
            .Build();
        var documents = new List<LoadedDocument>();
        var files = Directory.GetFiles(ExampleDirectory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var stream = new YamlStream();
            using (var reader = File.OpenText(file))
                stream.Load(reader);
            foreach (var document in stream.Documents)
            {
                var root = (YamlMappingNode)document.RootNode;
                var where = $"{Path.GetRelativePath(RepositoryRoot.Path, file)}:{root.Start.Line}";
                var kindName = ((YamlScalarNode)root.Children[new YamlScalarNode("kind")]).Value!;
                var kind = ResourceCatalog.Find(kindName) ?? throw new InvalidOperationException($"{where}: unknown kind {kindName}");

                using var text = new StringWriter();
                new YamlStream(new YamlDocument(root)).Save(text, assignAnchors: false);
                var envelopeType = typeof(Envelope<>).MakeGenericType(kind.SpecType);
                var envelope = (IEnvelope)deserializer.Deserialize(text.ToString(), envelopeType)!;

                var resource = (Resource)Activator.CreateInstance(kind.ResourceType)!;
                kind.ResourceType.GetProperty(nameof(Resource.Metadata))!.SetValue(resource, envelope.Metadata);
                kind.ResourceType.GetProperty("Spec")!.SetValue(resource, envelope.SpecObject);
                documents.Add(new LoadedDocument(where, envelope.ApiVersion, resource));
            }
        }

        return documents;
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"^[a-z]{2,3}(-([A-Z]{2}|[A-Z][a-z]{3}|[0-9]{3}))?$")]
    private static partial Regex LanguageTag();

    [GeneratedRegex(@"^[a-z][a-z-]*(\.[a-z][a-z-]*)+$")]
    private static partial Regex PermissionName();

    /// <summary>YamlDotNet 16 cannot fill IReadOnlyList/IReadOnlyDictionary properties; the mutable types implement them.</summary>
    private sealed class ReadOnlyCollectionTypeResolver : INodeTypeResolver
    {
        public bool Resolve(NodeEvent? nodeEvent, ref Type currentType)
        {
            if (!currentType.IsInterface || !currentType.IsGenericType)
                return false;
            var definition = currentType.GetGenericTypeDefinition();
            var arguments = currentType.GetGenericArguments();
            if (definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>))
            {
                currentType = typeof(List<>).MakeGenericType(arguments);
                return true;
            }

            if (definition == typeof(IReadOnlyDictionary<,>))
            {
                currentType = typeof(Dictionary<,>).MakeGenericType(arguments);
                return true;
            }

            return false;
        }
    }

    private sealed record LoadedDocument(string Where, string ApiVersion, Resource Resource);

    private interface IEnvelope
    {
        string ApiVersion { get; }

        ObjectMeta Metadata { get; }

        object SpecObject { get; }
    }

    // Resource.Kind is computed, so the document is read into this shape and copied over.
    private sealed class Envelope<TSpec> : IEnvelope
        where TSpec : class
    {
        public string ApiVersion { get; set; } = "";

        public string Kind { get; set; } = "";

        public ObjectMeta Metadata { get; set; } = null!;

        public TSpec Spec { get; set; } = null!;

        object IEnvelope.SpecObject => Spec;
    }
}
