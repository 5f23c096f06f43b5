using Reconciler.Core.Validation;

namespace Reconciler.Core.Tests.Validation.Rules;

/// <summary>The wire rule as <c>validate</c> runs it: a small set is checked in a loop, a large one in parallel.</summary>
public sealed class WireRuleTests
{
    [Theory]
    [InlineData(60)]
    [InlineData(1500)]
    public void Violations_are_reported_in_manifest_order_at_their_positions_however_the_set_is_checked(int agents)
    {
        // Each document is nine lines and a separator, so agent i's bad language is at line 10 i + 9, column 15.
        var yaml = string.Join("---\n", Enumerable.Range(0, agents).Select(i => $$"""
            apiVersion: support.reconciler.dev/v1alpha1
            kind: Agent
            metadata:
              name: a{{i}}
            spec:
              email: a{{i}}@acme.example
              displayName: A {{i}}
              roleRef: {name: agent}
              languages: [{{(i % 7 == 0 ? "en_US" : "en")}}]

            """));

        var report = ManifestValidator.ValidateYaml(yaml, "agents.yaml");

        report.Diagnostics.Where(d => d.Path == "spec.languages[0]").Select(d => $"{d.Line}:{d.Column}").Should().Equal(
            Enumerable.Range(0, agents).Where(i => i % 7 == 0).Select(i => $"{(10 * i) + 9}:15"));
    }
}
