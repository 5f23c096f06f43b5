using Reconciler.Core.Engine;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Engine;

/// <summary>How one field of a change reads in the text plan; <c>-o json</c> keeps the values as they are.</summary>
public sealed class PlanRendererTests
{
    private static readonly string NL = Environment.NewLine;

    public static TheoryData<string, ChangeAction, FieldChange, string> Fields => new()
    {
        {
            "a scalar create stays on its line", ChangeAction.Create,
            new FieldChange("displayName", null, "\"Maria\""), "displayName: \"Maria\""
        },
        {
            "a short scalar list stays on its line", ChangeAction.Create,
            new FieldChange("languages", null, "[\"de\",\"en\"]") { Shape = FieldShape.Set }, "languages: [\"de\", \"en\"]"
        },
        {
            "a reference rendered by name is not JSON and is kept as is", ChangeAction.Create,
            new FieldChange("roleId", null, "\"lead\" (known after apply)"), "roleId: \"lead\" (known after apply)"
        },
        {
            "objects in a list go below, keys in order, nulls left out", ChangeAction.Create,
            new FieldChange("holidays", null, "[{\"name\":\"New Year\",\"date\":\"2026-01-01\",\"opens\":null,\"closes\":null},{\"opens\":\"08:00\",\"name\":\"Eve\",\"date\":\"2026-12-24\",\"closes\":\"12:00\"}]"),
            "holidays:" + NL +
            "        - date: \"2026-01-01\"" + NL +
            "          name: \"New Year\"" + NL +
            "        - closes: \"12:00\"" + NL +
            "          date: \"2026-12-24\"" + NL +
            "          name: \"Eve\"" + NL +
            "          opens: \"08:00\""
        },
        {
            "a nested scalar list inside an object stays inline", ChangeAction.Create,
            new FieldChange("weekly", null, "[{\"days\":[\"Monday\",\"Tuesday\"],\"opens\":\"08:00\",\"closes\":\"18:00\"}]") { Shape = FieldShape.UnorderedList },
            "weekly:" + NL +
            "        - closes: \"18:00\"" + NL +
            "          days: [\"Monday\", \"Tuesday\"]" + NL +
            "          opens: \"08:00\""
        },
        {
            "a long scalar list wraps inside its brackets", ChangeAction.Create,
            new FieldChange("domains", null, "[" + string.Join(",", Enumerable.Range(1, 12).Select(i => $"\"team-{i:00}.acme.example\"")) + "]"),
            "domains: [" + NL +
            "          \"team-01.acme.example\", \"team-02.acme.example\", \"team-03.acme.example\"," + NL +
            "          \"team-04.acme.example\", \"team-05.acme.example\", \"team-06.acme.example\"," + NL +
            "          \"team-07.acme.example\", \"team-08.acme.example\", \"team-09.acme.example\"," + NL +
            "          \"team-10.acme.example\", \"team-11.acme.example\", \"team-12.acme.example\"" + NL +
            "      ]"
        },
        {
            "a scalar update is old -> new", ChangeAction.Update,
            new FieldChange("maxConcurrentChats", "9", "3"), "maxConcurrentChats: 9 -> 3"
        },
        {
            "a set update lists what is added and removed", ChangeAction.Update,
            new FieldChange("languages", "[\"en\",\"fr\"]", "[\"en\",\"es\"]") { Shape = FieldShape.Set }, "languages: + es, - fr"
        },
        {
            "a set that was empty", ChangeAction.Update,
            new FieldChange("categories", null, "[\"billing\"]") { Shape = FieldShape.Set }, "categories: + billing"
        },
        {
            "an ordered list update is old -> new", ChangeAction.Update,
            new FieldChange("steps", "[\"a\",\"b\"]", "[\"b\",\"a\"]"), "steps: [\"a\",\"b\"] -> [\"b\",\"a\"]"
        },
        {
            "a sensitive value is only named", ChangeAction.Update,
            new FieldChange("oidc.clientSecret", "(sensitive value)", "(sensitive value changed)", Sensitive: true), "oidc.clientSecret: (sensitive value changed)"
        },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void A_field_renders_readably(string because, ChangeAction action, FieldChange field, string expected)
    {
        var text = PlanRenderer.ToText(PlanWith(action, field));

        text.Should().Contain($"      {expected}{NL}", because);
    }

    [Fact]
    public void Json_keeps_the_values_as_they_are()
    {
        var field = new FieldChange("holidays", null, "[{\"date\":\"2026-01-01\",\"opens\":null}]");

        var json = PlanRenderer.ToJson(PlanWith(ChangeAction.Create, field));

        json.Should().Contain("\"after\": \"[{\\\"date\\\":\\\"2026-01-01\\\",\\\"opens\\\":null}]\"");
    }

    private static Plan PlanWith(ChangeAction action, FieldChange field) => new()
    {
        Changes =
        [
            new PlannedChange
            {
                Address = new ResourceId("OfficeHours", "support-emea"),
                Action = action,
                Collection = "office-hours",
                Key = "support-emea",
                Fields = [field],
            },
        ],
    };
}
