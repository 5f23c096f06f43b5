using System.Reflection;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.ResourceKinds;

/// <summary>The generated facts of each resource type must be what reflection reads of its attributes and properties.</summary>
public sealed class ResourceTypesTests
{
    private static readonly Type[] KindTypes =
        [.. typeof(Resource).Assembly.GetTypes().Where(t => t.GetCustomAttribute<KubernetesKindAttribute>() is not null)];

    public static TheoryData<Type> ResourceTypesWithAKind => [.. KindTypes];

    [Theory]
    [MemberData(nameof(ResourceTypesWithAKind))]
    public void The_facts_of_a_resource_type_are_its_attributes_and_properties(Type type)
    {
        var facts = ResourceTypes.Of(type)!;

        facts.Should().NotBeNull();
        facts.Kind.Should().BeEquivalentTo(type.GetCustomAttribute<KubernetesKindAttribute>(), o => o.Excluding(a => a!.TypeId));
        facts.SpecType.Should().Be(type.GetProperty("Spec")!.PropertyType);
        facts.StatusType.Should().Be(type.GetProperty("Status")!.PropertyType);
        facts.PrinterColumns.Should().BeEquivalentTo(type.GetCustomAttributes<PrinterColumnAttribute>(),
            o => o.WithStrictOrdering().Excluding(a => a.TypeId));
    }

    [Fact]
    public void Every_kind_of_the_catalog_has_facts_and_no_other_type_has()
    {
        ResourceCatalog.Kinds.Select(k => k.ResourceType).Should().BeSubsetOf(KindTypes);
        ResourceTypes.Of(typeof(AgentSpec)).Should().BeNull();
        ResourceTypes.Of(typeof(string)).Should().BeNull();
    }
}
