using System.Text;
using Reconciler.Core.Engine;
using static Reconciler.Core.Tests.Engine.Manifests;

namespace Reconciler.Core.Tests.Engine;

/// <summary>How changes read in the text plan: manifest names, natural order, lists element by element with the unchanged folded.</summary>
public sealed class PlanRendererTests
{
    private static readonly string NL = Environment.NewLine;

    private const string Week = """
          weekly:
            - {days: [Friday, Monday, Tuesday, Wednesday, Thursday], opens: "08:00", closes: "18:00"}
            - {days: [Saturday], opens: "10:00", closes: "14:00"}
        """;

    private static string OfficeHours(string weekly = Week, string extraHoliday = "") =>
        $$"""
        {{Head}}kind: OfficeHours
        metadata: {name: support-emea}
        spec:
          timezone: Europe/Berlin
        {{weekly}}
          holidays:
            - {date: "2026-01-01", name: New Year's Day}
            - {date: "2026-12-24", name: Christmas Eve, opens: "08:00", closes: "12:00"}
            - {date: "2026-12-31", name: New Year's Eve}
        {{extraHoliday}}
        ---

        """;

    private static string Units => string.Concat(new[] { "support", "sales" }.Select(u => $"{Head}kind: BusinessUnit\nmetadata: {{name: {u}}}\nspec: {{displayName: {u}}}\n---\n"));

    private static string Budi(string unit) =>
        $"{Head}kind: Agent\nmetadata: {{name: budi}}\nspec:\n  email: budi@acme.example\n  displayName: Budi\n  roleRef: {{name: agent}}\n  businessUnitRefs: [{{name: {unit}}}]\n---\n";

    private static async Task<string> DiffAsync(string before, string after)
    {
        var harness = new EngineHarness();
        (await harness.ApplyAsync(before)).Succeeded.Should().BeTrue();
        return PlanRenderer.ToText((await harness.PlanAsync(after)).Plan);
    }

    [Fact]
    public async Task A_drift_actor_or_reason_cannot_forge_plan_lines_or_rewrite_the_terminal()
    {
        var harness = new EngineHarness();
        (await harness.ApplyAsync(OfficeHours())).Succeeded.Should().BeTrue();
        var plan = (await harness.PlanAsync(OfficeHours(Week.Replace("18:00", "19:00", StringComparison.Ordinal)))).Plan;
        var drift = new DriftInfo("mallory\u001b]0;PWNED\u0007", DateTimeOffset.UnixEpoch, "hand edit\n  + Role/admin\u009b2J");

        var text = PlanRenderer.ToText(plan with { Changes = [plan.Changes.Single() with { Drift = drift }] });

        text.Should().Contain(@"drift: changed on the platform by mallory\u001B]0;PWNED\u0007 at 1970-01-01 00:00:00Z (reason: hand edit\u000A  + Role/admin\u009B2J)");
        text.Should().NotContain("\u001b").And.NotContain("\u009b").And.NotContain("\n  + Role/admin");
    }

    [Theory]
    [InlineData(ChangeAction.Delete)]
    [InlineData(ChangeAction.Adopt)]
    public async Task A_platform_key_or_source_label_cannot_forge_plan_lines_or_rewrite_the_terminal(ChangeAction action)
    {
        var harness = new EngineHarness();
        (await harness.ApplyAsync(OfficeHours())).Succeeded.Should().BeTrue();
        var plan = (await harness.PlanAsync(OfficeHours(Week.Replace("18:00", "19:00", StringComparison.Ordinal)))).Plan;
        var hostile = plan.Changes.Single() with { Action = action, Address = new("OfficeHours", "evil\u001b[31m\nX"), Key = "k\u001b]0;PWNED\u0007\n  + Role/forged" };

        var text = PlanRenderer.ToText(plan with { Changes = [hostile], NotInManifests = [hostile] });

        text.Should().Contain(@"OfficeHours/evil\u001B[31m\u000AX").And.Contain(@"k\u001B]0;PWNED\u0007\u000A  + Role/forged");
        text.Should().NotContain("\u001b").And.NotContain("\n  + Role/forged").And.NotContain("\nX");
    }

    [Fact]
    public async Task A_platform_key_cannot_leave_its_code_span_or_table_row_in_the_pull_request_comment()
    {
        var harness = new EngineHarness();
        (await harness.ApplyAsync(OfficeHours())).Succeeded.Should().BeTrue();
        var plan = (await harness.PlanAsync(OfficeHours(Week.Replace("18:00", "19:00", StringComparison.Ordinal)))).Plan;
        var hostile = plan.Changes.Single() with { Action = ChangeAction.Delete, Address = new("OfficeHours", "evil"), Key = "k`` | **approved** |\n| x\u202Eabc" };

        var markdown = string.Concat(PlanRenderer.ToMarkdown(plan with { Changes = [hostile], NotInManifests = [hostile] }));

        var row = markdown.Split('\n').Single(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains("OfficeHours/evil", StringComparison.Ordinal));
        row.Should().Contain("```k`` \\| **approved** \\|\\u000A\\| x\\u202Eabc```");
        row.Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|').Should().Be(5, "the key stays in its cell");
        markdown.Should().NotContain("\u202E");
    }

    [Fact]
    public async Task A_new_holiday_is_one_added_element_and_the_others_are_folded()
    {
        var text = await DiffAsync(OfficeHours(), OfficeHours(extraHoliday: "    - {date: \"2026-11-01\", name: All Saints' Day}"));

        text.Should().Contain(
            "      ~ spec.holidays: [" + NL +
            "          + {date: \"2026-11-01\", name: \"All Saints' Day\"}," + NL +
            "            # (3 unchanged elements hidden)" + NL +
            "        ]" + NL);
        text.Should().NotContain("weekly").And.NotContain("New Year");
    }

    [Fact]
    public async Task Changed_saturday_hours_are_one_changed_element_showing_only_the_closing_time_as_changed()
    {
        var text = await DiffAsync(OfficeHours(), OfficeHours(Week.Replace("closes: \"14:00\"", "closes: \"16:00\"", StringComparison.Ordinal)));

        text.Should().Contain(
            "  ~ OfficeHours/support-emea" + NL +
            "      ~ spec.weekly: [" + NL +
            "          ~ {" + NL +
            "                days: [\"Saturday\"]" + NL +
            "                opens: \"10:00\"" + NL +
            "              ~ closes: \"14:00\" -> \"16:00\"" + NL +
            "            }," + NL +
            "            # (1 unchanged element hidden)" + NL +
            "        ]" + NL + NL);
    }

    [Fact]
    public async Task An_agent_moved_between_business_units_reads_with_the_manifest_field_name_and_unit_names()
    {
        var text = await DiffAsync(Units + Budi("support"), Units + Budi("sales"));

        text.Should().Contain(
            "  ~ Agent/budi" + NL +
            "      ~ spec.businessUnitRefs: [" + NL +
            "          + \"sales\"," + NL +
            "          - \"support\"," + NL +
            "        ]" + NL);
        text.Should().NotContain("businessUnitIds");
    }

    [Fact]
    public async Task Weekdays_read_monday_to_sunday_and_object_fields_in_the_manifests_order()
    {
        var harness = new EngineHarness();

        var text = PlanRenderer.ToText((await harness.PlanAsync(OfficeHours())).Plan);

        text.Should().Contain("+ {days: [\"Monday\", \"Tuesday\", \"Wednesday\", \"Thursday\", \"Friday\"], opens: \"08:00\", closes: \"18:00\"},");
        text.Should().Contain("+ {date: \"2026-12-24\", name: \"Christmas Eve\", opens: \"08:00\", closes: \"12:00\"},");
        text.IndexOf("spec.timezone", StringComparison.Ordinal).Should().BeLessThan(text.IndexOf("spec.weekly", StringComparison.Ordinal));
        text.IndexOf("spec.weekly", StringComparison.Ordinal).Should().BeLessThan(text.IndexOf("spec.holidays", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_tag_shows_its_key_and_what_changed_and_hides_the_rest()
    {
        static string Tags(string color) =>
            $"{Head}kind: TagGroup\nmetadata: {{name: topics}}\nspec:\n  displayName: Topics\n  tags:\n    - {{name: billing, color: \"{color}\", description: Invoices}}\n    - {{name: login}}\n    - {{name: refunds}}\n---\n";

        var text = await DiffAsync(Tags("#00ff00"), Tags("#0000ff"));

        text.Should().Contain(
            "      ~ spec.tags: [" + NL +
            "          ~ {" + NL +
            "                name: \"billing\"" + NL +
            "              ~ color: \"#00ff00\" -> \"#0000ff\"" + NL +
            "                # (1 unchanged attribute hidden)" + NL +
            "            }," + NL +
            "            # (2 unchanged elements hidden)" + NL);
    }

    [Fact]
    public async Task A_scalar_change_is_old_to_new_and_a_new_reference_is_known_after_apply()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Agent("maria"));

        var text = PlanRenderer.ToText((await harness.PlanAsync(Role("lead", "inbox.view") + Agent("maria", role: "lead"))).Plan);

        text.Should().Contain("      ~ spec.roleRef: \"agent\" -> \"lead\" (known after apply)" + NL);
    }

    private static string Refund(string texts) =>
        $"{Head}kind: ReplyTemplate\nmetadata: {{name: refund}}\nspec:\n  shortcut: /refund\n  title: Refund policy\n  texts:\n{texts}---\n";

    private const string RefundTexts = "    en: \"Refunds take 5-7 business days.\"\n    de: \"Erstattungen dauern 5-7 Werktage.\"\n    fr: \"Les remboursements prennent 5 à 7 jours.\"\n";

    [Fact]
    public async Task A_map_field_reads_entry_by_entry_with_its_keys_and_the_unchanged_entries_folded()
    {
        var after = "    en: \"Refunds take 5-7 business days.\"\n    de: \"Erstattungen dauern 3-5 Werktage.\"\n    pt-BR: \"Reembolsos levam de 5 a 7 dias úteis.\"\n";

        var text = await DiffAsync(Refund(RefundTexts), Refund(after));

        text.Should().Contain(
            "  ~ ReplyTemplate/refund" + NL +
            "      ~ spec.texts[\"de\"]: \"Erstattungen dauern 5-7 Werktage.\" -> \"Erstattungen dauern 3-5 Werktage.\"" + NL +
            "      - spec.texts[\"fr\"]: \"Les remboursements prennent 5 à 7 jours.\" -> null" + NL +
            "      + spec.texts[\"pt-BR\"]: \"Reembolsos levam de 5 a 7 dias úteis.\"" + NL +
            "        # (1 unchanged element of spec.texts hidden)" + NL + NL);
        text.Should().NotContain("business days");
    }

    [Fact]
    public async Task A_new_map_lists_each_entry_as_added()
    {
        var text = PlanRenderer.ToText((await new EngineHarness().PlanAsync(Refund(RefundTexts))).Plan);

        text.Should().Contain(
            "      + spec.texts[\"de\"]: \"Erstattungen dauern 5-7 Werktage.\"" + NL +
            "      + spec.texts[\"en\"]: \"Refunds take 5-7 business days.\"" + NL +
            "      + spec.texts[\"fr\"]: \"Les remboursements prennent 5 à 7 jours.\"" + NL);
    }

    [Fact]
    public async Task In_json_a_map_field_stays_one_change_with_its_whole_before_and_after_values()
    {
        var harness = new EngineHarness();
        await harness.ApplyAsync(Refund(RefundTexts));
        var plan = (await harness.PlanAsync(Refund(RefundTexts.Replace("5-7 Werktage", "3-5 Werktage", StringComparison.Ordinal)))).Plan;

        var fields = System.Text.Json.Nodes.JsonNode.Parse(PlanRenderer.ToJson(plan))!["resource_changes"]![0]!["change"]!["fields"]!.AsArray();

        fields.Should().ContainSingle();
        fields[0]!["path"]!.GetValue<string>().Should().Be("spec.texts");
        fields[0]!["before"]!["de"]!.GetValue<string>().Should().Be("Erstattungen dauern 5-7 Werktage.");
        fields[0]!["after"]!["de"]!.GetValue<string>().Should().Be("Erstattungen dauern 3-5 Werktage.");
        fields[0]!["after"]!.AsObject().Select(e => e.Key).Should().Equal("de", "en", "fr");
    }

    [Fact]
    public void Any_map_shaped_field_is_diffed_by_entry_not_only_a_reply_templates_texts()
    {
        var field = new FieldChange("labels", null, null)
        {
            Shape = ComparisonShape.Map,
            ManifestPath = "spec.labels",
            BeforeValue = new System.Text.Json.Nodes.JsonObject { ["team"] = "a", ["tier"] = "1" },
            AfterValue = new System.Text.Json.Nodes.JsonObject { ["team"] = "b", ["tier"] = "1" },
        };

        Reconciler.Core.Engine.Output.FieldDiffText.Lines(ChangeAction.Update, field, 2).Should().Equal(
            "  ~ spec.labels[\"team\"]: \"a\" -> \"b\"",
            "    # (1 unchanged element of spec.labels hidden)");
    }

    [Fact]
    public async Task A_secret_is_only_named_under_its_manifest_field()
    {
        var harness = new EngineHarness();

        var text = PlanRenderer.ToText((await harness.PlanAsync(Okta())).Plan);

        text.Should().Contain("      + spec.oidc.clientSecretRef: (sensitive value)" + NL).And.NotContain(EngineHarness.Canary);
    }

    [Fact]
    public async Task A_long_markdown_plan_is_split_between_resource_sections_into_comments_within_the_limit()
    {
        var harness = new EngineHarness();
        var roles = string.Concat(Enumerable.Range(1, 40).Select(i => Role($"role-{i:00}", "inbox.view", "reports.view", "agents.manage", "settings.view")));
        var plan = (await harness.PlanAsync(roles)).Plan;

        var parts = PlanRenderer.ToMarkdown(plan, maxLength: 4000);

        parts.Should().HaveCountGreaterThan(1).And.OnlyContain(p => p.Length <= 4000);
        parts.Select((p, i) => p.StartsWith($"### Reconciler plan (part {i + 1} of {parts.Count})\n", StringComparison.Ordinal)).Should().OnlyContain(ok => ok);
        parts.Should().OnlyContain(p => CountOf(p, "<details>") == CountOf(p, "</details>"), "a section is never cut in two");
        parts[0].Should().Contain("**Plan: 40 to add, 0 to change, 0 to delete.**").And.Contain("| + create | `Role/role-01` |");
        Enumerable.Range(1, 40).Should().OnlyContain(i => parts.Sum(p => CountOf(p, $"<code>+ Role/role-{i:00}</code>")) == 1);
    }

    public static TheoryData<string, Plan> Oversized => new()
    {
        { "1,000 errors", new Plan { Errors = [.. Enumerable.Range(0, 1000).Select(i => new PlanError(new("Agent", $"agent-{i:0000}"), "ReferenceNotFound", $"Role/missing-{i} not found", null))] } },
        { "1,000 refusals", new Plan { Refusals = [.. Enumerable.Range(0, 1000).Select(i => $"refusal number {i:0000} of a long list")] } },
        { "1,000 objects not in the manifests", new Plan { NotInManifests = [.. Enumerable.Range(0, 1000).Select(i => Kept($"agent-{i:0000}", $"agent{i}@acme.example"))] } },
        { "one giant error", new Plan { Errors = [new PlanError(new("Agent", "giant"), "ReferenceNotFound", new string('x', 100_000), null)] } },
        { "one giant key not in the manifests", new Plan { NotInManifests = [Kept("giant", new string('k', 100_000))] } },
    };

    [Theory]
    [MemberData(nameof(Oversized))]
    public void Every_markdown_comment_fits_the_limit_however_long_the_alerts_and_lists_are(string why, Plan plan)
    {
        var parts = PlanRenderer.ToMarkdown(plan, maxLength: 2048);

        parts.Should().OnlyContain(p => p.Length <= 2048, why);
        parts.Should().OnlyContain(p => !p.Contains("> - ", StringComparison.Ordinal) || p.Contains("> **", StringComparison.Ordinal), "each part repeats the alert's heading");
        parts.Should().OnlyContain(p => CountOf(p, "<details>") == CountOf(p, "</details>"), "a list is never cut inside its section");
        foreach (var error in plan.Errors.Where(e => e.Message.Length < 100))
            parts.Sum(p => CountOf(p, $"`{error.Address}`:")).Should().Be(1, "{0} is listed once", error.Address);
        foreach (var kept in plan.NotInManifests.Where(k => k.Key.Length < 100))
            parts.Sum(p => CountOf(p, $"`{kept.Address}`")).Should().Be(1, "{0} is listed once", kept.Address);
        if (plan.Errors.Concat<object>(plan.NotInManifests).Count() == 1)
            string.Concat(parts).Should().Contain("run `reconciler plan` to see all of it");
    }

    [Fact]
    public void A_value_cannot_open_a_comment_so_it_cannot_split_the_markdown_output()
    {
        const string Separator = "<!-- reconciler:next-comment -->";
        var plan = new Plan
        {
            Changes =
            [
                new PlannedChange
                {
                    Address = new("Role", "r"), Action = ChangeAction.Update, Collection = "roles", Key = "r",
                    Fields = [new FieldChange("displayName", "\"old\"", $"\"x\n{Separator}\ny\"")],
                },
            ],
            NotInManifests = [Kept("k", Separator)],
            Errors = [new PlanError(new("Agent", "a"), "ReferenceNotFound", Separator, null)],
        };

        var parts = PlanRenderer.ToMarkdown(plan);

        parts.Should().OnlyContain(p => !p.Contains("<!--", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_large_plan_is_written_in_pieces_of_whole_lines_that_make_up_the_same_text()
    {
        var agents = string.Concat(Enumerable.Range(0, 300).Select(i =>
            $"{Head}kind: Agent\nmetadata: {{name: agent-{i}}}\nspec:\n  email: agent{i}@acme.example\n  displayName: Agent {i}\n  roleRef: {{name: agent}}\n  languages: [en, de]\n---\n"));
        var plan = (await new EngineHarness().PlanAsync(agents)).Plan;
        var pieces = new PieceRecorder();

        PlanRenderer.WriteText(plan, pieces, style: text => text.Replace("+ ", "PLUS ", StringComparison.Ordinal));

        pieces.Pieces.Should().HaveCountGreaterThan(1).And.OnlyContain(p => p.EndsWith('\n'));
        string.Concat(pieces.Pieces).Should().Be(PlanRenderer.ToText(plan).Replace("+ ", "PLUS ", StringComparison.Ordinal));
    }

    /// <summary>Keeps each piece a writer is handed, however it is handed.</summary>
    private sealed class PieceRecorder : StringWriter
    {
        public List<string> Pieces { get; } = [];

        public override void Write(string? value) => Pieces.Add(value ?? "");

        public override void Write(StringBuilder? value) => Pieces.Add(value?.ToString() ?? "");

        public override void Write(char value) => Pieces.Add(value.ToString());
    }

    private static PlannedChange Kept(string name, string key) => new() { Address = new("Agent", name), Action = ChangeAction.Delete, Collection = "agents", Key = key };

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public void A_plan_with_errors_says_how_many_resources_could_not_be_planned_and_never_no_changes()
    {
        var plan = new Plan
        {
            Errors =
            [
                new PlanError(new("Agent", "a"), "ReferenceNotFound", "Role/x not found", null),
                new PlanError(new("Agent", "b"), "ReferenceNotFound", "Role/x not found", null),
            ],
        };

        var text = PlanRenderer.ToText(plan);

        text.Should().NotContain("No changes").And.EndWith("Plan: 0 to add, 0 to change, 0 to delete. 2 resources could not be planned (see Errors)." + NL);
    }
}
