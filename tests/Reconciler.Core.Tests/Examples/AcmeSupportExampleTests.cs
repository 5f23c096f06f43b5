using Reconciler.Core.Resources;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Tests.Examples;

/// <summary>
/// <c>examples/acme-support/</c> passes <c>reconciler validate</c> and shows what the product promises:
/// every kind, every level and SSO type, several time zones, secrets only by reference.
/// </summary>
public sealed class AcmeSupportExampleTests
{
    private static readonly string ExampleDirectory = Path.Combine(RepositoryRoot.Path, "examples", "acme-support");

    private static readonly Lazy<ValidationReport> Report = new(() => ManifestValidator.Validate([ExampleDirectory]));

    private static IEnumerable<T> All<T>() => Report.Value.Resources.OfType<T>();

    [Fact]
    public void Example_ValidatesWithoutErrorsOrWarnings()
    {
        var report = Report.Value;

        report.Diagnostics.Should().BeEmpty(ReportFormatter.FormatText(report, RepositoryRoot.Path));
        report.IsValid.Should().BeTrue();
    }

    [Fact]
    public void Example_HasEveryKind_OneOrganization_AndNoNamespaces()
    {
        var resources = Report.Value.Resources;

        resources.Select(r => r.Kind).Distinct().Should().BeEquivalentTo(ResourceCatalog.Kinds.Select(k => k.Kind));
        All<Organization>().Should().ContainSingle();
        resources.Should().OnlyContain(r => r.Metadata.Namespace == null, "the example stays namespace-free so `kubectl apply -n` works");
    }

    [Fact]
    public void Agents_AreManyAcrossAllLevelsLanguagesAndRoles_WithOneDeactivated()
    {
        var agents = All<Agent>().ToList();

        agents.Should().HaveCountGreaterThanOrEqualTo(25);
        agents.Select(a => a.Spec.Level).Distinct().Should().BeEquivalentTo(Enum.GetValues<AgentLevel>());
        agents.Where(a => !a.Spec.Active).Should().ContainSingle();
        agents.SelectMany(a => a.Spec.Capabilities).Distinct().Should().BeEquivalentTo(Enum.GetValues<AgentCapability>());
        agents.SelectMany(a => a.Spec.Languages).Distinct().Should().HaveCountGreaterThanOrEqualTo(6);
        agents.Select(a => a.Spec.RoleRef.Name).Should().Contain(Role.BuiltIn, "the example shows every built-in role");
        agents.Count(a => a.Spec.SupervisorRef is not null).Should().BeGreaterThan(agents.Count / 2, "most agents report to a supervisor");
    }

    [Fact]
    public void OfficeHours_SpanTimeZones_AndHaveHolidaysSomeWithSpecialHours()
    {
        var hours = All<OfficeHours>().ToList();

        hours.Select(h => h.Spec.Timezone).Distinct().Should().HaveCountGreaterThanOrEqualTo(2);
        hours.Should().OnlyContain(h => h.Spec.Holidays.Count > 0);
        hours.SelectMany(h => h.Spec.Holidays).Should().Contain(d => d.Opens != null && d.Closes != null);
    }

    [Fact]
    public void SsoProviders_CoverEveryType_AndNoFileHoldsASecret()
    {
        All<SsoProvider>().Select(p => p.Spec.Type).Distinct().Should().BeEquivalentTo(Enum.GetValues<SsoType>());
        Directory.GetFiles(ExampleDirectory, "*.yaml", SearchOption.AllDirectories)
            .Select(File.ReadAllText)
            .Should().NotContain(text => text.Contains("clientSecret:", StringComparison.Ordinal) || text.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public void BusinessUnitsAndTagGroups_AreThoseOfTheSeeds_AndTheConnectionIsEmbedded()
    {
        All<BusinessUnit>().Select(b => b.Metadata.Name).Should().Contain(["sales", "support", "billing"]);
        All<TagGroup>().Select(t => t.Spec.AppliesTo).Distinct().Should().BeEquivalentTo(Enum.GetValues<TagTarget>());
        var connection = All<PlatformConnection>().Single().Spec;
        connection.Url.Should().BeNull("the example runs against the embedded platform");
        connection.TokenSecretRef.Should().NotBeNull();
        connection.Prune.Should().BeFalse();
    }
}
