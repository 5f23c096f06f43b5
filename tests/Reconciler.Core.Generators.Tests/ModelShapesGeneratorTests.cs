using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Reconciler.Core.Generators.Tests;

/// <summary>
/// The generator on small models: what it refuses, and the metadata order it reproduces. That the shapes it writes for the
/// real model equal reflection's is checked in Reconciler.Core.Tests (ModelShapesTests).
/// </summary>
public sealed class ModelShapesGeneratorTests
{
    private const string Attributes = """
        namespace Reconciler.Core.Resources
        {
            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class KubernetesKindAttribute(string kind, string plural) : System.Attribute
            {
                public string Kind { get; } = kind;
                public string Plural { get; } = plural;
            }

            public sealed record Spec;
            public sealed record Status;
        }
        """;

    private static readonly ImmutableArray<MetadataReference> References =
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p))];

    [Fact]
    public void A_property_of_a_type_without_a_shape_is_an_error()
    {
        var (_, diagnostics) = Run("""
            namespace Reconciler.Core.Resources;
            [KubernetesKind("Widget", "widgets")]
            public sealed record Widget
            {
                public Spec? Spec { get; init; }
                public Status? Status { get; init; }
                public System.Guid Id { get; init; }
            }
            """);

        diagnostics.Should().ContainSingle(d => d.Id == "RCG001")
            .Which.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Should().Contain("no shape for System.Guid");
    }

    [Fact]
    public void A_class_without_a_parameterless_constructor_is_an_error()
    {
        var (_, diagnostics) = Run("""
            namespace Reconciler.Core.Resources;
            [KubernetesKind("Widget", "widgets")]
            public sealed record Widget(string Name)
            {
                public Spec? Spec { get; init; }
                public Status? Status { get; init; }
            }
            """);

        diagnostics.Should().ContainSingle(d => d.Id == "RCG001")
            .Which.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Should().Contain("parameterless constructor");
    }

    [Theory]
    [InlineData(false, new[] { "own", "inherited" })]
    [InlineData(true, new[] { "inherited", "own" })]
    public void Fields_follow_metadata_order_so_a_base_type_declared_in_a_later_file_comes_after(bool baseFirst, string[] expected)
    {
        const string Derived = """
            namespace Reconciler.Core.Resources;
            [KubernetesKind("Widget", "widgets")]
            public sealed record Widget : Base
            {
                public string? Own { get; init; }
            }
            """;
        const string Base = """
            namespace Reconciler.Core.Resources;
            public abstract record Base
            {
                public Spec? Spec { get; init; }
                public Status? Status { get; init; }
                public string? Inherited { get; init; }
            }
            """;

        var (source, diagnostics) = Run(baseFirst ? [Base, Derived] : [Derived, Base]);

        diagnostics.Should().BeEmpty();
        expected.Select(name => source.IndexOf($"new(\"{name}\"", StringComparison.Ordinal)).Should().BeInAscendingOrder().And.NotContain(-1);
    }

    private static (string Source, ImmutableArray<Diagnostic> Diagnostics) Run(params string[] sources)
    {
        var options = new CSharpParseOptions(LanguageVersion.CSharp12);
        var compilation = CSharpCompilation.Create(
            "Model",
            [CSharpSyntaxTree.ParseText(Attributes, options), .. sources.Select(s => CSharpSyntaxTree.ParseText(s, options))],
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var result = CSharpGeneratorDriver.Create(new ModelShapesGenerator()).RunGenerators(compilation).GetRunResult();
        var shapes = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("ModelShapes.g.cs", StringComparison.Ordinal));
        return (shapes.ToString(), result.Diagnostics);
    }
}
