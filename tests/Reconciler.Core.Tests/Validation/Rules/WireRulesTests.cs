using CsCheck;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Tests.Validation.Rules;

/// <summary>The contract's wire rules checked on a DTO directly, as <c>validate</c>, the planner and the platform run them.</summary>
public sealed class WireRulesTests
{
    private static readonly AgentDto Agent = new() { Email = "ada@acme.example", DisplayName = "Ada", RoleId = "agent" };

    [Fact]
    public void A_set_reports_each_blank_item_and_each_repeat_at_its_index_naming_the_first_occurrence_short_or_long()
    {
        // Short lists are compared pairwise and long ones with a dictionary; both must name the same first occurrence.
        var items = Gen.OneOf(Gen.Const("billing"), Gen.Const("Billing"), Gen.Const("vip"), Gen.Const(" "), Gen.Const(""), Gen.String[Gen.Char["abc"], 1, 2]);
        items.List[0, 60].Sample(categories =>
        {
            var expected = categories.Select((item, i) =>
                    string.IsNullOrWhiteSpace(item) ? new Violation($"categories[{i}]", RuleCodes.EmptyItem, "must not be empty")
                    : Enumerable.Range(0, i).FirstOrDefault(j => string.Equals(categories[j], item, StringComparison.OrdinalIgnoreCase), i) is var first && first < i
                        ? new Violation($"categories[{i}]", RuleCodes.DuplicateItem, $"duplicate value '{item}' (already at categories[{first}])")
                        : null)
                .OfType<Violation>();

            WireRules.Check(Agent with { Categories = categories }).Should().Equal(expected);
        }, iter: 300);
    }

    public static TheoryData<string, string, string?> RedactionSelectors => new()
    {
        // why, one selector, the rule it breaks (null: none)
        { "a class", ".card-number", null },
        { "an attribute selector", "input[type=password]", null },
        { "a selector list with a tab", "#cvc,\t.secret", null },
        { "a control character, which the platform refuses in any text", "#cvc\u0001", RuleCodes.ControlCharacter },
        { "a NUL, which PostgreSQL cannot store", "#cvc\u0000", RuleCodes.ControlCharacter },
        { "longer than any selector", "." + new string('a', WireRules.RedactionSelectorMaxLength), RuleCodes.Length },
    };

    [Theory]
    [MemberData(nameof(RedactionSelectors))]
    public void A_redaction_selector_is_text_as_the_platform_reads_it(string why, string selector, string? rule)
    {
        var organization = new OrganizationDto { DisplayName = "Acme", Timezone = "UTC", Settings = new OrganizationSettingsDto { RedactionSelectors = [".ok", selector] } };

        WireRules.Check(organization).Select(v => (v.Path, v.Rule)).Should().Equal(rule is null ? [] : [("settings.redactionSelectors[1]", rule)], why);
    }

    [Fact]
    public void An_object_that_breaks_no_rule_has_no_violations_and_the_paths_of_list_items_name_the_item()
    {
        WireRules.Check(Agent with { Languages = ["en", "pt-BR"], Capabilities = ["Chat"] }).Should().BeEmpty();

        WireRules.Check(Agent with { Languages = ["en", "en_US"], Capabilities = ["Chat", "Fly"] }).Select(v => v.ToString()).Should().Equal(
            "languages[1]: \"en_US\" is not a BCP-47 language tag (e.g. en, pt-BR, zh-Hant-TW)",
            "capabilities[1]: must be one of Live, Chat, Search, Reports, Engagement");
        WireRules.Check(new TagGroupDto { Name = "vip", DisplayName = "VIP", Tags = [new() { Name = "gold", Color = "#FFD700" }, new() { Name = "Gold", Color = "gold" }] })
            .Select(v => v.ToString()).Should().Equal(
                "tags[1].name: duplicate tag 'Gold' (already at tags[0].name; names are compared ignoring case)",
                "tags[1].color: \"gold\" is not a colour #RRGGBB");
    }
}
