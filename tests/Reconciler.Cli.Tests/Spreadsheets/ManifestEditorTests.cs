using System.Text.Json.Nodes;
using Reconciler.Cli.Spreadsheets;

namespace Reconciler.Cli.Tests.Spreadsheets;

public sealed class ManifestEditorTests
{
    private static readonly string[] Order = ["email", "displayName", "mobile", "roleRef", "businessUnitRefs", "level", "supervisorRef", "languages", "categories", "maxConcurrentChats", "capabilities", "active"];

    private const string Block = """
        # Team file: keep this comment.
        apiVersion: support.reconciler.dev/v1alpha1
        kind: Agent
        metadata:
          name: ana
        spec:
          email: ana@acme.example   # the key
          displayName: "Ana"
          businessUnitRefs:
            - name: support
            - name: billing
          level: L1
          languages: [en, "pt-BR"]
        ---
        apiVersion: support.reconciler.dev/v1alpha1
        kind: Agent
        metadata: {name: bob}
        spec: {email: bob@acme.example, displayName: Bob, roleRef: {name: agent}, languages: [en]}

        """;

    public static TheoryData<string, string, string, JsonNode?, string, string> Cases => new()
    {
        { "a scalar keeps the trailing comment", "ana", "email", JsonValue.Create("ana.lima@acme.example"), "  email: ana@acme.example   # the key", "  email: ana.lima@acme.example   # the key" },
        { "a flow list is replaced in place", "ana", "languages", new JsonArray("en", "es"), "  languages: [en, \"pt-BR\"]", "  languages: [en, es]" },
        { "a block list becomes one flow line", "ana", "businessUnitRefs", new JsonArray(new JsonObject { ["name"] = "sales" }), "  businessUnitRefs:\n    - name: support\n    - name: billing", "  businessUnitRefs: [{name: sales}]" },
        { "a new field goes after its predecessor in the model", "ana", "mobile", JsonValue.Create("+5511987654321"), "  displayName: \"Ana\"\n", "  displayName: \"Ana\"\n  mobile: \"+5511987654321\"\n" },
        { "a cleared field goes with its line", "ana", "level", null, "  level: L1\n", "" },
        { "a flow spec gets the new field before its brace", "bob", "level", JsonValue.Create("L2"), "languages: [en]}", "languages: [en], level: L2}" },
        { "a flow spec's cleared field becomes null", "bob", "languages", null, "languages: [en]}", "languages: null}" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_edit_changes_only_its_node(string why, string agent, string field, JsonNode? value, string from, string to)
    {
        var edits = new Dictionary<string, IReadOnlyList<FieldEdit>> { [agent] = [new FieldEdit(field, value)] };

        var result = ManifestEditor.Apply(Block, "Agent", edits, Order);

        result.Should().Be(Block.Replace(from, to, StringComparison.Ordinal), why);
    }

    private const string Listed = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: support.reconciler.dev/v1alpha1
          kind: Role
          metadata: {name: ana}
          spec: {displayName: Not an agent}
        - apiVersion: support.reconciler.dev/v1alpha1
          kind: Agent
          metadata:
            name: ana
          spec:
            email: ana@acme.example
            displayName: Ana
        ---
        apiVersion: support.reconciler.dev/v1alpha1
        kind: AgentList
        items:
        - metadata: {name: bob}
          spec: {email: bob@acme.example, displayName: Bob}

        """;

    [Fact]
    public void Agents_inside_list_documents_are_edited_where_they_stand()
    {
        // The loader reads a list's items as resources (kubectl get -o yaml writes them), so import must edit them there.
        var edits = new Dictionary<string, IReadOnlyList<FieldEdit>>
        {
            ["ana"] = [new FieldEdit("level", JsonValue.Create("L2"))],
            ["bob"] = [new FieldEdit("displayName", JsonValue.Create("Robert"))],
        };

        var result = ManifestEditor.Apply(Listed, "Agent", edits, Order);

        result.Should().Be(Listed
            .Replace("    displayName: Ana\n", "    displayName: Ana\n    level: L2\n", StringComparison.Ordinal)
            .Replace("displayName: Bob}", "displayName: Robert}", StringComparison.Ordinal));
    }

    [Fact]
    public void Several_edits_to_one_document_apply_together_and_leave_the_other_document_alone()
    {
        var edits = new Dictionary<string, IReadOnlyList<FieldEdit>>
        {
            ["ana"] = [new FieldEdit("level", JsonValue.Create("Expert")), new FieldEdit("languages", null), new FieldEdit("mobile", JsonValue.Create("+1555")), new FieldEdit("roleRef", new JsonObject { ["name"] = "agent" })],
        };

        var result = ManifestEditor.Apply(Block, "Agent", edits, Order);

        result.Should().Contain("  displayName: \"Ana\"\n  mobile: \"+1555\"\n  roleRef: {name: agent}\n  businessUnitRefs:").And.Contain("  level: Expert\n---");
        result.Should().NotContain("pt-BR");
        result[result.IndexOf("---", StringComparison.Ordinal)..].Should().Be(Block[Block.IndexOf("---", StringComparison.Ordinal)..]);
    }
}
