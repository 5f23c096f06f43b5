using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Resources;
using static Reconciler.Core.Tests.Engine.Manifests;

namespace Reconciler.Core.Tests.Engine;

public sealed class PlannerTests
{
    private static readonly Dictionary<string, string> Marked = new() { [Ownership.ManagedByLabel] = Ownership.ManagedByValue };

    /// <summary>These cases are about prune's own limits; deleting half the agents also trips the mass-change guard.</summary>
    private static readonly Reconciler.Core.Guards.GuardPolicy AllowMassChange = new() { Allowed = new HashSet<string> { "mass-change" } };

    [Fact]
    public async Task Plan_OnAnEmptyPlatform_CreatesEverythingInDependencyOrder()
    {
        var harness = new EngineHarness();
        var run = await harness.PlanAsync(Agent("report", supervisor: "boss") + Agent("boss", role: "lead") + Role("lead", "inbox.view"));

        run.Plan.Changes.Select(c => (c.Action, c.Address.ToString())).Should().Equal(
            (ChangeAction.Create, "Role/lead"),
            (ChangeAction.Create, "Agent/boss"),
            (ChangeAction.Create, "Agent/report"));
        run.Plan.Changes[2].DependsOn.Should().Contain(new ResourceId("Agent", "boss"));
        run.Plan.Changes[1].Fields.Should().Contain(f => f.Path == "roleId" && f.After == "\"lead\" (known after apply)");
        PlanRenderer.ToText(run.Plan).Should().EndWith("Plan: 3 to add, 0 to change, 0 to delete." + Environment.NewLine);
    }

    [Fact]
    public async Task Plan_AfterApply_HasNoChangesAndSkipsTheAuditTrail()
    {
        var harness = new EngineHarness();
        var yaml = Role("lead", "inbox.view", "reports.view") + Agent("boss", role: "lead") + Agent("report", supervisor: "boss");
        (await harness.ApplyAsync(yaml)).Succeeded.Should().BeTrue();
        harness.Platform.Calls.Clear();

        var run = await harness.PlanAsync(yaml);

        run.Plan.HasChanges.Should().BeFalse();
        run.Plan.Unchanged.Should().HaveCount(3);
        PlanRenderer.ToText(run.Plan).Should().Contain(PlanRenderer.NoChanges);
        harness.Platform.Calls.Should().OnlyContain(c => c.StartsWith("LIST", StringComparison.Ordinal) || c == "GET organization");
        harness.Platform.Calls.Should().HaveCount(KindMappers.InDependencyOrder.Count, "one list pass per kind and one organisation GET");
    }

    [Fact]
    public async Task Plan_WhenOnlyOrderAndCaseDiffer_HasNoChanges()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("maria", languages: "en, de"));

        var run = await harness.PlanAsync(Agent("maria", languages: "de, en", email: "MARIA@acme.example"));

        run.Plan.HasChanges.Should().BeFalse();
    }

    [Fact]
    public async Task Plan_WhenAFieldDiffers_UpdatesOnlyThatField()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("maria", languages: "en"));

        var run = await harness.PlanAsync(Agent("maria", languages: "en, pt-BR"));

        var change = run.Plan.Changes.Should().ContainSingle().Subject;
        change.Action.Should().Be(ChangeAction.Update);
        var field = change.Fields.Should().ContainSingle().Subject;
        (field.Path, field.ManifestPath, field.Before, field.After, field.Shape).Should().Be(("languages", "spec.languages", "[\"en\"]", "[\"en\",\"pt-BR\"]", ComparisonShape.Set));
        PlanRenderer.ToText(run.Plan).Should().Contain("~ Agent/maria").And.Contain("+ \"pt-BR\",");
    }

    [Fact]
    public async Task Plan_WhenAnUnmarkedObjectHasTheKey_AdoptsIt()
    {
        var harness = new EngineHarness();
        harness.Platform.Seed("roles", new JsonObject { ["name"] = "lead", ["displayName"] = "Old name", ["permissions"] = new JsonArray("inbox.view") });

        var run = await harness.PlanAsync(Role("lead", "inbox.view"));

        var change = run.Plan.Changes.Should().ContainSingle().Subject;
        change.Action.Should().Be(ChangeAction.Adopt);
        change.Fields.Should().ContainSingle(f => f.Path == "displayName");
        PlanRenderer.ToText(run.Plan).Should().Contain("<= Role/lead").And.Contain("Plan: 0 to add, 1 to change, 0 to delete.");

        var result = await harness.ApplyAsync(run);
        result.Results.Should().ContainSingle(r => r.Outcome == ResourceOutcome.Adopted);
        Ownership.IsMarked(harness.Platform.All("roles").Single(r => r.Key == "lead").Labels).Should().BeTrue();
        (await harness.PlanAsync(Role("lead", "inbox.view"))).Plan.HasChanges.Should().BeFalse();
    }

    [Fact]
    public async Task Plan_WithAMissingReference_FailsThatResourceOnly()
    {
        var harness = new EngineHarness();
        var run = await harness.PlanAsync(Agent("ghosted", role: "no-such-role") + Agent("fine"));

        run.Plan.Errors.Should().ContainSingle().Which.Should().Match<PlanError>(e => e.Reason == "ReferenceNotFound" && e.Address.Name == "ghosted");
        run.Plan.Changes.Should().ContainSingle(c => c.Address.Name == "fine");
    }

    [Fact]
    public async Task Plan_WhenTwoResourcesShareAPlatformKey_FailsTheSecond()
    {
        var harness = new EngineHarness();
        var run = await harness.PlanAsync(Agent("maria", email: "maria@acme.example") + Agent("maria-again", email: "Maria@acme.example"));

        run.Plan.Changes.Should().ContainSingle(c => c.Address.Name == "maria");
        run.Plan.Errors.Should().ContainSingle(e => e.Reason == "DuplicateKey" && e.Address.Name == "maria-again");
    }

    [Fact]
    public async Task Plan_OfALargeSet_GivesEachResourceItsOwnOutcomeInApplyOrder()
    {
        // Enough resources to be planned in parallel: each outcome is still the resource's own, and they come in apply order.
        var harness = new EngineHarness();
        var names = Enumerable.Range(0, 1_200).Select(i => $"agent-{i:D4}").ToList();
        (await harness.ApplyAsync(string.Concat(names.Select(n => Agent(n))))).Succeeded.Should().BeTrue();

        // Written in reverse: the plan's order is apply order (kind, then name), not the manifests'.
        var yaml = string.Concat(names.Select((name, i) => i % 13 == 0 ? Agent(name, role: "no-such-role") : i % 7 == 0 ? Agent(name, languages: "fr") : Agent(name)).Reverse())
            + Agent("agent-new") + Agent("agent-copy", email: "agent-0005@acme.example");
        var run = await harness.PlanAsync(yaml);

        var failing = names.Where((_, i) => i % 13 == 0).ToList();
        var updated = names.Where((_, i) => i % 7 == 0 && i % 13 != 0).ToList();
        run.Plan.Errors.Select(e => (e.Address.Name, e.Reason)).Should().Equal(
            [.. failing.Select(n => (n, "ReferenceNotFound")), ("agent-copy", "DuplicateKey")]);
        run.Plan.Changes.Select(c => (c.Address.Name, c.Action)).Should().Equal(
            [.. updated.Select(n => (n, ChangeAction.Update)), ("agent-new", ChangeAction.Create)]);
        run.Plan.Changes.Where(c => c.Action == ChangeAction.Update).Should().OnlyContain(c => c.Fields.Single().Path == "languages");
        run.Plan.Unchanged.Select(u => u.Address.Name).Should().Equal(names.Except(failing).Except(updated));
    }

    [Fact]
    public async Task Plan_NeverWritesBuiltInRoles()
    {
        var harness = new EngineHarness();
        var run = await harness.PlanAsync(Role("admin", "inbox.view"));

        run.Plan.HasChanges.Should().BeFalse();
        run.Plan.Errors.Should().ContainSingle(e => e.Reason == "BuiltInRole");
        var prune = await harness.PlanAsync(Role("other"), new PlanOptions { Prune = true });
        prune.Plan.Changes.Should().NotContain(c => c.Action == ChangeAction.Delete);
    }

    [Fact]
    public async Task Plan_WithoutPrune_ListsUndesiredMarkedObjectsAndKeepsThem()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("a") + Agent("b"));
        harness.Platform.Seed("agents", new JsonObject { ["email"] = "by-hand@acme.example", ["displayName"] = "x", ["roleId"] = "ro-1" });

        var run = await harness.PlanAsync(Agent("a"));

        run.Plan.HasChanges.Should().BeFalse();
        run.Plan.NotInManifests.Should().ContainSingle().Which.Address.Should().Be(new ResourceId("Agent", "b"));
        PlanRenderer.ToText(run.Plan).Should().Contain("Not in manifests").And.Contain("Agent/b");
    }

    [Fact]
    public async Task Plan_WithPrune_DeletesOnlyMarkedObjectsInReverseDependencyOrder()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Role("lead") + Agent("boss", role: "lead") + Agent("report", supervisor: "boss") + Agent("keep"));
        harness.Platform.Seed("agents", new JsonObject { ["email"] = "by-hand@acme.example", ["displayName"] = "x", ["roleId"] = "ro-1" });

        var run = await harness.PlanAsync(Agent("keep"), new PlanOptions { Prune = true, AllowEmptyKind = true, Guards = AllowMassChange });

        run.Plan.Changes.Select(c => c.Address.ToString()).Should().Equal("Agent/report", "Agent/boss", "Role/lead");
        (await harness.ApplyAsync(run)).Succeeded.Should().BeTrue();
        harness.Platform.All("agents").Select(a => a.Key).Should().BeEquivalentTo("keep@acme.example", "by-hand@acme.example");
    }

    public static TheoryData<string, int, int, bool, bool> PruneSafetyCases => new()
    {
        { "within the limit", 3, 10, false, false },
        { "above the limit", 3, 2, false, true },
        { "the limit raised", 3, 3, false, false },
        { "emptying a kind is refused", 0, 10, false, true },
        { "emptying a kind when allowed", 0, 10, true, false },
    };

    [Theory]
    [MemberData(nameof(PruneSafetyCases))]
    public async Task Plan_WithPrune_EnforcesSafetyLimits(string why, int kept, int maxDeletes, bool allowEmpty, bool refused)
    {
        var harness = new EngineHarness();
        var all = string.Concat(Enumerable.Range(0, 6).Select(i => Agent($"agent-{i}")));
        await harness.ApplyAsync(all);
        var desired = string.Concat(Enumerable.Range(0, kept).Select(i => Agent($"agent-{i}"))) + Role("unrelated");

        var run = await harness.PlanAsync(desired, new PlanOptions { Prune = true, MaxDeletes = maxDeletes, AllowEmptyKind = allowEmpty, Guards = AllowMassChange });
        var result = await harness.ApplyAsync(run);

        run.Plan.IsBlocked.Should().Be(refused, why);
        harness.Platform.All("agents").Should().HaveCount(refused ? 6 : kept, why);
        result.Results.Where(r => r.Action == ChangeAction.Delete).Should().OnlyContain(r => r.Outcome == (refused ? ResourceOutcome.Skipped : ResourceOutcome.Deleted));
    }

    private const string SupportUnit = Head + "kind: BusinessUnit\nmetadata: {name: support}\nspec: {displayName: Support}\n---\n";

    public static TheoryData<string, string, string, string?, string?> PruneInUseCases => new()
    {
        // why, applied, then planned with prune, an object made by hand that references one ("collection field target-collection/target-key"), the refusal (null: none)
        { "a role an agent made by hand holds", Role("lead") + Agent("keep"), Agent("keep"), "agents roleId roles/lead", "prune would delete Role/lead, which agents/by-hand (roleId) still references after this plan" },
        { "a role its managed holders leave in the same plan", Role("lead") + Agent("keep", role: "lead"), Agent("keep"), null, null },
        { "a role whose holder is pruned with it", Role("lead") + Agent("boss", role: "lead") + Agent("keep"), Agent("keep"), null, null },
        { "a supervisor an agent made by hand reports to", Agent("boss") + Agent("keep"), Agent("keep"), "agents supervisorId agents/boss@acme.example", "prune would delete Agent/boss, which agents/by-hand (supervisorId) still references after this plan" },
        { "a business unit a channel made by hand routes to", SupportUnit + Agent("keep"), Agent("keep"), "channels businessUnitId business-units/support", "prune would delete BusinessUnit/support, which channels/by-hand (businessUnitId) still references after this plan" },
        { "a business unit a reply template made by hand offers itself to", SupportUnit + Agent("keep"), Agent("keep"), "reply-templates businessUnitIds business-units/support", "prune would delete BusinessUnit/support, which reply-templates/by-hand (businessUnitIds) still references after this plan" },
    };

    [Theory]
    [MemberData(nameof(PruneInUseCases))]
    public async Task Plan_WithPrune_RefusesToDeleteWhatObjectsLeftInPlaceStillReference(string why, string applied, string desired, string? byHand, string? refusal)
    {
        // The platform answers such a delete 409 "still referenced": it failed mid-apply, after the plan's other writes.
        var harness = new EngineHarness();
        (await harness.ApplyAsync(applied)).Succeeded.Should().BeTrue(why);
        if (byHand?.Split(' ') is [var collection, var field, var target])
        {
            var (targetCollection, targetKey) = (target[..target.IndexOf('/', StringComparison.Ordinal)], target[(target.IndexOf('/', StringComparison.Ordinal) + 1)..]);
            var id = harness.Platform.All(targetCollection).Single(o => o.Key == targetKey).Id;
            harness.Platform.Seed(collection, new JsonObject
            {
                ["email"] = "by-hand", ["name"] = "by-hand", ["shortcut"] = "by-hand", ["displayName"] = "By Hand", ["roleId"] = "ro-3",
                [field] = field.EndsWith('s') ? new JsonArray(id) : id,
            });
        }

        var run = await harness.PlanAsync(desired, new PlanOptions { Prune = true, AllowEmptyKind = true, Guards = AllowMassChange });

        if (refusal is null)
            run.Plan.Refusals.Should().BeEmpty(why);
        else
            run.Plan.Refusals.Should().ContainSingle(why).Which.Should().StartWith(refusal).And.EndWith("the platform refuses to delete an object in use: change or delete those first, or keep it in the manifests");
    }

    [Fact]
    public async Task Plan_WithPrune_EachRefusalNamesTheFlagThatAllowsIt()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("agent-0") + Agent("agent-1"));

        var run = await harness.PlanAsync(Role("unrelated"), new PlanOptions { Prune = true, MaxDeletes = 1, Guards = AllowMassChange });

        run.Plan.Refusals.Should().SatisfyRespectively(
            empty => empty.Should().Contain("every Agent").And.Contain("--allow-empty-kind"),
            limit => limit.Should().Contain("more than the limit of 1").And.Contain("--max-deletes"));
    }

    [Fact]
    public async Task Plan_WhenSomeoneElseChangedAManagedObject_NamesThemAsTheDriftAuthor()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("maria"));
        var maria = harness.Platform.All("agents").Single();
        harness.Platform.Edit("agents", maria.Id, f => f["level"] = "Expert", actor: "alice@acme.example");
        harness.Platform.Calls.Clear();

        var run = await harness.PlanAsync(Agent("maria"));

        var change = run.Plan.Changes.Should().ContainSingle().Subject;
        change.Fields.Select(f => (f.Path, f.Before, f.After)).Should().ContainSingle().Which.Should().Be(("level", "\"Expert\"", "\"L1\""));
        change.Drift!.Actor.Should().Be("alice@acme.example");
        PlanRenderer.ToText(run.Plan).Should().Contain("drift: changed on the platform by alice@acme.example");
        harness.Platform.Calls.Count(c => c == "AUDIT").Should().Be(1);
        (await harness.ApplyAsync(run)).Succeeded.Should().BeTrue();
        (await harness.PlanAsync(Agent("maria"))).Plan.HasChanges.Should().BeFalse();
    }

    [Fact]
    public async Task Plan_WhenSeveralObjectsDrifted_ReadsTheAuditTrailOnlyFromTheEarliestDriftOn()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("maria") + Agent("ana") + Agent("old"));
        var agents = harness.Platform.All("agents").ToDictionary(a => a.Key);
        for (var i = 0; i < 5; i++)
            harness.Platform.Edit("agents", agents["old@acme.example"].Id, f => f["mobile"] = $"+4917100000{i}", actor: "history");
        var firstDrift = harness.Platform.Edit("agents", agents["maria@acme.example"].Id, f => f["level"] = "Expert", actor: "alice@acme.example");
        harness.Platform.Edit("agents", agents["ana@acme.example"].Id, f => f["level"] = "L2", actor: "bob@acme.example");
        harness.Platform.AuditQueries.Clear();

        var run = await harness.PlanAsync(Agent("maria") + Agent("ana") + Agent("old"));

        var query = harness.Platform.AuditQueries.Should().ContainSingle("one audit query per run").Subject;
        query.Since.Should().NotBeNull("a query without a lower bound reads the platform's whole history");
        var firstDriftAt = DateTimeOffset.Parse(firstDrift.Fields["updatedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        query.Since.Should().BeOnOrBefore(firstDriftAt).And.BeAfter(harness.Platform.Audit[0].At);
        query.Collection.Should().Be("agents");
        run.Plan.Changes.Where(c => c.Key != "old@acme.example").Select(c => (c.Key, c.Drift?.Actor)).Should().BeEquivalentTo(
            [("maria@acme.example", "alice@acme.example"), ("ana@acme.example", "bob@acme.example")]);
        run.Plan.Changes.Single(c => c.Key == "old@acme.example").Drift!.Actor.Should().Be("history");
    }

    [Fact]
    public async Task Plan_WhenDriftedObjectsCarryNoUpdatedAt_QueriesTheAuditTrailByObjectId()
    {
        var harness = new EngineHarness();
        harness.Platform.StampsUpdatedAt = false;
        await harness.ApplyAsync(Agent("maria") + Agent("ana"));
        foreach (var agent in harness.Platform.All("agents"))
            harness.Platform.Edit("agents", agent.Id, f => f["level"] = "Expert", actor: "alice@acme.example");
        harness.Platform.AuditQueries.Clear();

        var run = await harness.PlanAsync(Agent("maria") + Agent("ana"));

        harness.Platform.AuditQueries.Should().HaveCount(2).And.OnlyContain(q => q.ObjectId != null, "without updatedAt only the object bounds the query");
        run.Plan.Changes.Should().HaveCount(2).And.OnlyContain(c => c.Drift!.Actor == "alice@acme.example");
    }

    [Fact]
    public async Task Plan_WhenTheManifestChanged_IsNotDrift()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("maria", languages: "en"));

        var run = await harness.PlanAsync(Agent("maria", languages: "de"));

        run.Plan.Changes.Single().Drift.Should().BeNull("Reconciler made the last change; the manifest moved");
    }

    [Fact]
    public async Task Plan_NeverShowsSecretValues_AndDetectsRotation()
    {
        var harness = new EngineHarness();
        var created = await harness.PlanAsync(Okta());
        AssertNoCanary(created.Plan);
        created.Plan.Changes.Single().Fields.Select(f => (f.Path, f.Before, f.After, f.Sensitive)).Should().Contain((SsoProviderMapperField, null, "(sensitive value)", true));
        (await harness.ApplyAsync(created)).Succeeded.Should().BeTrue();
        harness.Platform.LastBodies["sso-providers/okta"]["oidc"]!["clientSecret"]!.GetValue<string>().Should().Be(EngineHarness.Canary);
        (await harness.PlanAsync(Okta())).Plan.HasChanges.Should().BeFalse();

        harness.SecretValues["sso-okta/clientSecret"] = EngineHarness.Canary + "-rotated";
        var rotated = await harness.PlanAsync(Okta());

        AssertNoCanary(rotated.Plan);
        rotated.Plan.Changes.Single().Fields.Select(f => (f.Path, f.Before, f.After, f.Sensitive)).Should().ContainSingle().Which.Should().Be((SsoProviderMapperField, "(sensitive value)", "(sensitive value changed)", true));
        PlanRenderer.ToText(rotated.Plan).Should().Contain("spec.oidc.clientSecretRef: (sensitive value changed)");
        var result = await harness.ApplyAsync(rotated);
        result.Succeeded.Should().BeTrue();
        result.ToString().Should().NotContain(EngineHarness.Canary);
        (await harness.PlanAsync(Okta())).Plan.HasChanges.Should().BeFalse();
    }

    [Fact]
    public async Task Plan_WithAMissingSecret_FailsThatResourceAndSaysWhereItLooked()
    {
        var harness = new EngineHarness();
        var run = await harness.PlanAsync(Okta(secretName: "absent"));

        run.Plan.Errors.Should().ContainSingle().Which.Message.Should().Contain("absent/clientSecret");
    }

    public static TheoryData<string, string> SecretValuesThePlatformRefuses => new()
    {
        { EngineHarness.Canary + new string('t', 20_000), "spec.telegram.tokenSecretRef: the secret's value must be at most 20000 characters" },
        { "   ", "spec.telegram.tokenSecretRef: the secret's value is required and must not be blank" },
    };

    [Theory]
    [MemberData(nameof(SecretValuesThePlatformRefuses))]
    public async Task Plan_WithASecretValueThePlatformRefuses_FailsThatResourceBeforeAnyWriteAndNeverShowsTheValue(string value, string message)
    {
        var harness = new EngineHarness();
        harness.SecretValues["telegram-bot/token"] = value;
        var yaml = Role("lead", "inbox.view") + $"{Head}kind: Channel\nmetadata: {{name: telegram-support}}\nspec:\n  type: Telegram\n  displayName: Support on Telegram\n  enabled: true\n"
            + "  telegram:\n    botName: Acme Support\n    botUsername: acme_support_bot\n    tokenSecretRef: {name: telegram-bot, key: token}\n---\n";

        var run = await harness.PlanAsync(yaml);

        var error = run.Plan.Errors.Should().ContainSingle().Subject;
        (error.Address.ToString(), error.Reason, error.Message).Should().Be(("Channel/telegram-support", ReconcileErrorKind.InvalidField.Reason, message));
        run.Plan.Changes.Select(c => c.Address.ToString()).Should().Equal("Role/lead");
        (await harness.ApplyAsync(run)).Results.Should().ContainSingle(r => r.Outcome == ResourceOutcome.Failed);
        harness.Platform.Calls.Should().NotContain(c => c.Contains("channels", StringComparison.Ordinal) && !c.StartsWith("LIST", StringComparison.Ordinal));
        PlanRenderer.ToText(run.Plan).Should().Contain(message).And.NotContain(EngineHarness.Canary);
    }

    [Fact]
    public async Task Plan_WithAnAcceptedSecretValue_CreatesTheResource()
    {
        var harness = new EngineHarness();
        harness.SecretValues["telegram-bot/token"] = new string('t', 20_000);
        var yaml = $"{Head}kind: Channel\nmetadata: {{name: telegram-support}}\nspec:\n  type: Telegram\n  displayName: Support on Telegram\n  enabled: true\n"
            + "  telegram:\n    botName: Acme Support\n    botUsername: acme_support_bot\n    tokenSecretRef: {name: telegram-bot, key: token}\n---\n";

        var run = await harness.PlanAsync(yaml);

        run.Plan.Errors.Should().BeEmpty();
        (await harness.ApplyAsync(run)).Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task Plan_UpdatesTheOrganizationAndNeverCreatesIt()
    {
        var harness = new EngineHarness();
        var yaml = $"{Head}kind: Organization\nmetadata: {{name: acme}}\nspec:\n  displayName: Acme\n  timezone: Europe/Berlin\n";

        var run = await harness.PlanAsync(yaml);
        run.Plan.Changes.Single().Action.Should().Be(ChangeAction.Adopt);
        (await harness.ApplyAsync(run)).Succeeded.Should().BeTrue();

        (await harness.PlanAsync(yaml)).Plan.HasChanges.Should().BeFalse();
        harness.Platform.Calls.Should().NotContain(c => c.StartsWith("POST organization", StringComparison.Ordinal));
    }

    private const string SsoProviderMapperField = SsoProviderMapper.ClientSecretField;

    private static void AssertNoCanary(Plan plan)
    {
        PlanRenderer.ToText(plan).Should().NotContain("CANARY");
        PlanRenderer.ToJson(plan).Should().NotContain("CANARY");
    }
}
