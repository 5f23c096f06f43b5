using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.FieldOwnership;
using Reconciler.Core.Manifests;
using Reconciler.Core.Tests.Engine;
using static Reconciler.Core.Tests.TestManifests;
using EngineManifests = Reconciler.Core.Tests.Engine.Manifests;

namespace Reconciler.Core.Tests.FieldOwnership;

public sealed class FieldOwnershipTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Scim = new() { ["scim"] = ["Agent.email", "Agent.displayName", "Agent.active"] };

    private static PlanOptions Owned => new() { FieldOwners = FieldOwners.Parse(Scim).Owners };

    private static string Maria(string role = "supervisor", string extra = "") =>
        EngineManifests.Agent("maria", role: role).Replace("displayName: maria", "displayName: Maria (from git)", StringComparison.Ordinal).Replace("---\n", extra + "---\n", StringComparison.Ordinal);

    private static void SeedScimAgent(FakePlatform platform) =>
        platform.Seed("agents", new JsonObject
        {
            ["email"] = "maria@acme.example",
            ["displayName"] = "Maria Santos",
            ["roleId"] = platform.All("roles").Single(r => r.Key == "agent").Id,
            ["languages"] = new JsonArray("en", "de"),
            ["capabilities"] = new JsonArray("Chat", "Live"),
            ["active"] = false,
        }, actor: "scim");

    [Fact]
    public async Task Adopt_AnAgentScimCreated_SetsTheRoleAndLeavesOwnedFieldsAsTheyAre()
    {
        var harness = new EngineHarness();
        SeedScimAgent(harness.Platform);

        var run = await harness.PlanAsync(Maria(extra: "  active: true\n"), Owned);

        var change = run.Plan.Changes.Should().ContainSingle().Subject;
        change.Action.Should().Be(ChangeAction.Adopt);
        change.Fields.Select(f => f.DisplayPath).Should().Equal("spec.roleRef");
        PlanRenderer.ToText(run.Plan).Should().Contain("# spec.email, spec.displayName, spec.active: owned by scim (left as the platform has them)");
        (await harness.ApplyAsync(run)).Succeeded.Should().BeTrue();
        var agent = harness.Platform.All("agents").Single();
        (agent.Fields["displayName"]!.GetValue<string>(), agent.Fields["active"]!.GetValue<bool>()).Should().Be(("Maria Santos", false));
        agent.Fields["roleId"]!.ToString().Should().Be(harness.Platform.All("roles").Single(r => r.Key == "supervisor").Id);
    }

    [Fact]
    public async Task Plan_WhenTheOwnerChangesOwnedAndOtherFields_CorrectsOnlyTheOthers()
    {
        var harness = new EngineHarness();
        SeedScimAgent(harness.Platform);
        await harness.ApplyAsync(Maria(), Owned);
        var agent = harness.Platform.All("agents").Single();
        harness.Platform.Edit("agents", agent.Id, f => { f["displayName"] = "Maria S."; f["active"] = true; f["level"] = "L3"; }, actor: "scim");

        var run = await harness.PlanAsync(Maria(), Owned);

        var change = run.Plan.Changes.Should().ContainSingle().Subject;
        change.Fields.Select(f => f.DisplayPath).Should().Equal(["spec.level"], "only the field git owns differs");
        (await harness.ApplyAsync(run)).Succeeded.Should().BeTrue();
        harness.Platform.All("agents").Single().Fields["displayName"]!.GetValue<string>().Should().Be("Maria S.");
    }

    [Fact]
    public async Task Plan_WithoutOwners_WouldOverwriteTheScimValues()
    {
        var harness = new EngineHarness();
        SeedScimAgent(harness.Platform);

        var run = await harness.PlanAsync(Maria(extra: "  active: true\n"));

        run.Plan.Changes.Single().Fields.Select(f => f.DisplayPath).Should().Contain(["spec.displayName", "spec.active"]);
    }

    [Fact]
    public async Task Create_WhenNothingExists_WritesTheManifestsValues()
    {
        var harness = new EngineHarness();

        (await harness.ApplyAsync(Maria(), Owned)).Succeeded.Should().BeTrue();

        harness.Platform.All("agents").Single().Fields["displayName"]!.GetValue<string>().Should().Be("Maria (from git)");
    }

    [Fact]
    public async Task Annotation_OverridesTheConnectionsOwnersForOneResource()
    {
        var harness = new EngineHarness();
        SeedScimAgent(harness.Platform);
        var annotated = Maria().Replace("metadata: {name: maria}", $"metadata:\n  name: maria\n  annotations: {{\"{FieldOwners.Annotation}\": \"\"}}", StringComparison.Ordinal);

        var run = await harness.PlanAsync(annotated, Owned);

        run.Plan.Changes.Single().Fields.Select(f => f.DisplayPath).Should().Contain("spec.displayName", "the empty annotation gives this agent's fields back to git");
    }

    [Theory]
    [InlineData("Agent.email", null)]
    [InlineData("Agent.businessUnitRefs", null)]
    [InlineData("Agent.nickname", "Agent has no field \"nickname\"")]
    [InlineData("Robot.email", "does not name a field of a platform kind")]
    [InlineData("email", "does not name a field of a platform kind")]
    public void Parse_AcceptsOnlyFieldsOfTheKind(string name, string? error)
    {
        var (_, errors) = FieldOwners.Parse(new Dictionary<string, IReadOnlyList<string>> { ["scim"] = [name] });

        if (error is null)
            errors.Should().BeEmpty();
        else
            errors.Should().ContainSingle().Which.Should().Contain(error);
    }

    [Fact]
    public void Validate_WarnsAboutAnOwnedFieldTheManifestSets_AndRejectsAnUnknownOne()
    {
        var connection = Doc("PlatformConnection", "platform", "fieldOwners:\n  scim: [Agent.displayName, Agent.mobile]\n  hr: [Agent.nickname]");

        var report = Validate(connection, Agent("maria", "mobile: \"+4915112345678\""));

        report.Diagnostics.Where(d => d.IsError).Should().ContainSingle().Which.Should().Match<Diagnostic>(d => d.Code == DiagnosticCodes.FieldOwners && d.Path == "spec.fieldOwners");
        report.Diagnostics.Where(d => !d.IsError && d.Code == DiagnosticCodes.OwnedField).Select(d => d.Path)
            .Should().Contain("spec.mobile").And.Contain("spec.displayName");
    }
}
