using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Manifests;

public sealed class FieldSourcesTests : IDisposable
{
    private const string Agent = """
        apiVersion: support.reconciler.dev/v1alpha1
        kind: Agent
        metadata:
          name: bob
        spec:
          email: bob@acme.example
          displayName: Bob
          roleRef: {name: agent}
          businessUnitRefs:
            - name: billing
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-field-sources-").FullName;

    [Theory]
    [InlineData("spec.roleRef", 8, 12)]
    [InlineData("spec.businessUnitRefs", 10, 5)]
    [InlineData("spec.businessUnitRefs[0].name", 10, 13)]
    [InlineData("spec.languages", 6, 3)]
    public void An_error_about_a_field_is_moved_from_the_resource_to_the_field_or_its_nearest_written_ancestor(string field, int line, int column)
    {
        var file = Write("agents.yaml", Agent);

        var located = FieldSources.Locate(PlanWith(new PlanError(new ResourceId("Agent", "bob"), "ReferenceNotFound", "…", new SourceSpan(file, 1, 1)) { Field = field }));

        located.Errors.Single().Source.Should().Be(new SourceSpan(file, line, column));
    }

    [Fact]
    public void Errors_without_a_field_from_standard_input_or_about_a_resource_no_longer_in_its_file_keep_their_source()
    {
        var file = Write("agents.yaml", Agent);
        PlanError[] errors =
        [
            new(new ResourceId("Agent", "bob"), "DuplicateKey", "…", new SourceSpan(file, 1, 1)),
            new(new ResourceId("Agent", "bob"), "SecretNotFound", "…", new SourceSpan(ManifestLoader.StandardInputName, 1, 1)) { Field = "spec.roleRef" },
            new(new ResourceId("Agent", "alice"), "SecretNotFound", "…", new SourceSpan(file, 1, 1)) { Field = "spec.roleRef" },
            new(new ResourceId("Agent", "bob"), "SecretNotFound", "…", null) { Field = "spec.roleRef" },
        ];

        FieldSources.Locate(PlanWith(errors)).Errors.Should().Equal(errors);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Plan PlanWith(params PlanError[] errors) => new() { Errors = errors };

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
