using System.Reflection;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.ResourceKinds;

/// <summary>The descriptions are the one source of what each kind is; these hold them to the types and to each other.</summary>
public sealed class KindDescriptionTests
{
    public static TheoryData<string> Kinds() => [.. ResourceCatalog.Kinds.Select(k => k.Kind)];

    [Fact]
    public void ApplyOrder_PutsEveryReferencedKindBeforeTheKindThatReferencesIt()
    {
        foreach (var kind in ResourceCatalog.Kinds)
        {
            foreach (var field in kind.Description.ReferenceFields.Where(f => f.TargetKind != kind.Kind))
            {
                ResourceCatalog.Find(field.TargetKind)!.Description.ApplyOrder.Should()
                    .BeLessThan(kind.Description.ApplyOrder, $"{kind.Kind}.{field.Path} references {field.TargetKind}, which must be written first");
            }
        }

        ResourceCatalog.Kinds.Select(k => k.Description.ApplyOrder).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void DependencyOrder_IsEveryPlatformKindOrderedByItsApplyOrder()
    {
        KindMappers.InDependencyOrder.Select(c => c.Kind).Should().Equal(
            "OfficeHours", "Role", "TagGroup", "SsoProvider", "BusinessUnit", "Agent", "Organization", "Channel", "ReplyTemplate");
        KindMappers.InDependencyOrder.Select(c => c.Collection).Should().OnlyHaveUniqueItems();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void References_DeclareEveryResourceRefFieldOfTheSpec(string kind)
    {
        var info = ResourceCatalog.Find(kind)!;

        var declared = info.Description.ReferenceFields.Select(f => f.Path);

        declared.Should().BeEquivalentTo(RefFields(info.SpecType, "spec"), "a reference the description misses would be neither validated nor resolved");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Mapper_ExistsExactlyForKindsWithAPlatformCollection(string kind)
    {
        var description = ResourceCatalog.Find(kind)!.Description;

        (description.Mapper is null).Should().Be(description.Collection is null);
        if (description.Mapper is { } mapper)
        {
            mapper.Kind.Should().Be(kind);
            mapper.Description.Should().BeSameAs(description);
            WireReferenceKinds(mapper.Rules).Should().BeEquivalentTo(description.ReferenceFields.Select(f => f.TargetKind).Distinct(),
                "the wire fields holding ids render the kinds the description references");
        }
    }

    [Fact]
    public void TheOrganisationTimeZone_IsSuppliedByOneSingletonKind_FromAFieldOfItsDto()
    {
        var supplier = ResourceCatalog.TimeZoneSupplier;

        ResourceCatalog.Kinds.Where(k => k.Description.TimeZoneField is not null).Should().ContainSingle();
        supplier.IsSingleton.Should().BeTrue("the zone is read from the observed singleton when no manifest sets it");
        WireShape.PropertiesOf(supplier.Mapper!.WireType).Should().ContainKey(supplier.TimeZoneField!);
    }

    [Fact]
    public void ExportFileNames_AreDistinctPerKind() =>
        ResourceCatalog.Kinds.Select(k => k.Description.ExportFileName).Should().OnlyHaveUniqueItems();

    [Fact]
    public void BuiltInRoles_AreTheNamesTheRoleCrdRefusesToDefine()
    {
        var cel = typeof(Role).GetCustomAttributes<CelRuleAttribute>().Single().Rule;

        foreach (var name in RoleKind.Description.BuiltIn)
            cel.Should().Contain($"'{name}'");
        cel.Count(c => c == '\'').Should().Be(2 * RoleKind.Description.BuiltIn.Count);
    }

    [Theory]
    [InlineData("Role", "role")]
    [InlineData("BusinessUnit", "business unit")]
    [InlineData("OfficeHours", "office hours")]
    public void Noun_SpellsTheKindAsRunningText(string kind, string noun) =>
        ResourceCatalog.Find(kind)!.Description.Noun.Should().Be(noun);

    [Fact]
    public void ReferencesOf_IndexesListFieldsAndKeepsFieldOrder()
    {
        var agent = new Agent
        {
            Metadata = new() { Name = "ada" },
            Spec = new AgentSpec { Email = "Ada@Acme.Example", DisplayName = "Ada", RoleRef = "lead", BusinessUnitRefs = ["eu", "us"], SupervisorRef = "grace" },
        };

        AgentKind.Description.ReferencesOf(agent).Select(r => (r.Path, r.Target.ToString())).Should().Equal(
            ("spec.roleRef", "Role/lead"), ("spec.businessUnitRefs[0]", "BusinessUnit/eu"), ("spec.businessUnitRefs[1]", "BusinessUnit/us"), ("spec.supervisorRef", "Agent/grace"));
        AgentKind.Description.NaturalKey(agent).Should().Be("ada@acme.example");
        AgentKind.Description.KeyIsName.Should().BeFalse();
        AgentKind.Description.ManifestNameOf("Ada.Lovelace@acme.example").Should().Be("ada-lovelace");
        RoleKind.Description.ManifestNameOf("Team Lead").Should().Be("Team Lead", "a key that is a name is kept");
    }

    private static IEnumerable<string> RefFields(Type type, string path) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).SelectMany(p =>
        {
            var name = $"{path}.{char.ToLowerInvariant(p.Name[0])}{p.Name[1..]}";
            if (p.PropertyType == typeof(ResourceRef) || typeof(IEnumerable<ResourceRef>).IsAssignableFrom(p.PropertyType))
                return [name];
            return p.PropertyType.Namespace == typeof(Resource).Namespace && p.PropertyType.IsClass && p.PropertyType != typeof(SecretKeyRef)
                ? RefFields(p.PropertyType, name)
                : [];
        });

    private static IEnumerable<string> WireReferenceKinds(IEnumerable<ComparisonRule> rules) =>
        rules.SelectMany(r => WireReferenceKinds(r.Children).Prepend(r.ReferenceKind ?? "")).Where(k => k.Length > 0).Distinct();
}
