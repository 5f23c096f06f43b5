using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Cli.Spreadsheets;
using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

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
          roleRef: {name: supervisor}
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
        ---
        apiVersion: support.reconciler.dev/v1alpha1
        kind: Agent
        metadata: {name: cy}
        spec:
          email: cy@acme.example
          displayName: Cy
          roleRef: {name: agent}
          categories: [O'Brien accounts, vip]  # plain text with an apostrophe

        """;

    public static TheoryData<string, string, string, JsonNode?, string, string> Cases => new()
    {
        { "a scalar keeps the trailing comment", "ana", "email", JsonValue.Create("ana.lima@acme.example"), "  email: ana@acme.example   # the key", "  email: ana.lima@acme.example   # the key" },
        { "a flow list is replaced in place", "ana", "languages", new JsonArray("en", "es"), "  languages: [en, \"pt-BR\"]", "  languages: [en, es]" },
        { "a block list becomes one flow line", "ana", "businessUnitRefs", new JsonArray(new JsonObject { ["name"] = "sales" }), "  businessUnitRefs:\n    - name: support\n    - name: billing", "  businessUnitRefs: [{name: sales}]" },
        { "a new field goes after its predecessor in the model", "ana", "mobile", JsonValue.Create("+5511987654321"), "  displayName: \"Ana\"\n", "  displayName: \"Ana\"\n  mobile: \"+5511987654321\"\n" },
        { "a cleared field goes with its line", "ana", "level", null, "  level: L1\n", "" },
        { "a flow spec gets the new field after its predecessor in the model", "bob", "level", JsonValue.Create("L2"), "roleRef: {name: agent}, languages", "roleRef: {name: agent}, level: L2, languages" },
        { "a flow spec's cleared field goes with its comma", "bob", "languages", null, ", languages: [en]}", "}" },
        { "a flow value ends at its bracket, whatever apostrophe its plain text holds", "cy", "categories", new JsonArray("vip"), "[O'Brien accounts, vip]  #", "[vip]  #" },
        { "a flow spec's value that is not plain YAML is quoted", "bob", "displayName", JsonValue.Create("Bob, Jr. {x}"), "displayName: Bob,", "displayName: \"Bob, Jr. {x}\"," },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_edit_changes_only_its_node(string why, string agent, string field, JsonNode? value, string from, string to)
    {
        var edits = new Dictionary<string, IReadOnlyList<FieldEdit>> { [agent] = [new FieldEdit(field, value)] };

        var result = ManifestEditor.Apply("team.yaml", Block, "Agent", edits, Order);

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
            roleRef: {name: agent}
            displayName: Ana
        ---
        apiVersion: support.reconciler.dev/v1alpha1
        kind: AgentList
        items:
        - metadata: {name: bob}
          spec: {email: bob@acme.example, displayName: Bob, roleRef: {name: agent}}

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

        var result = ManifestEditor.Apply("listed.yaml", Listed, "Agent", edits, Order);

        result.Should().Be(Listed
            .Replace("    displayName: Ana\n", "    displayName: Ana\n    level: L2\n", StringComparison.Ordinal)
            .Replace("displayName: Bob,", "displayName: Robert,", StringComparison.Ordinal));
    }

    [Fact]
    public void Several_edits_to_one_document_apply_together_and_leave_the_other_document_alone()
    {
        var edits = new Dictionary<string, IReadOnlyList<FieldEdit>>
        {
            ["ana"] = [new FieldEdit("level", JsonValue.Create("Expert")), new FieldEdit("languages", null), new FieldEdit("mobile", JsonValue.Create("+1555")), new FieldEdit("roleRef", new JsonObject { ["name"] = "agent" })],
        };

        var result = ManifestEditor.Apply("team.yaml", Block, "Agent", edits, Order);

        result.Should().Contain("  displayName: \"Ana\"\n  mobile: \"+1555\"\n  roleRef: {name: agent}\n  businessUnitRefs:").And.Contain("  level: Expert\n---");
        result.Should().NotContain("pt-BR");
        result[result.IndexOf("---", StringComparison.Ordinal)..].Should().Be(Block[Block.IndexOf("---", StringComparison.Ordinal)..]);
    }

    private const string Json = """
        {"apiVersion":"support.reconciler.dev/v1alpha1","kind":"Agent","metadata":{"name":"cid"},"spec":{"email":"cid@acme.example","displayName":"Cid","mobile":"+4915112345697","roleRef":{"name":"agent"},"languages":["en"],"active":false}}

        """;

    private const string IndentedJson = """
        {
          "apiVersion": "support.reconciler.dev/v1alpha1",
          "kind": "Agent",
          "metadata": {
            "name": "cid"
          },
          "spec": {
            "email": "cid@acme.example",
            "displayName": "Cid",
            "mobile": "+4915112345697",
            "roleRef": {
              "name": "agent"
            },
            "languages": [
              "en"
            ],
            "active": false
          }
        }

        """;

    /// <summary>A JSON document, the edits to agent cid, and the text they replace.</summary>
    public static TheoryData<string, string, (string Field, JsonNode? Value)[], string, string> JsonCases => new()
    {
        { "a string is a JSON string, quoted and escaped", Json, [("displayName", JsonValue.Create("Cid \"2\", é\\"))], "\"displayName\":\"Cid\"", "\"displayName\":\"Cid \\\"2\\\", é\\\\\"" },
        { "a cleared field goes with the comma after it", Json, [("mobile", null)], "\"mobile\":\"+4915112345697\",", "" },
        { "a cleared last field goes with the comma before it", Json, [("active", null)], ",\"active\":false", "" },
        { "cleared fields side by side go together", Json, [("languages", null), ("active", null)], ",\"languages\":[\"en\"],\"active\":false", "" },
        { "a new field goes after its predecessor in the model, its key quoted", Json, [("level", JsonValue.Create("L2"))], "{\"name\":\"agent\"},", "{\"name\":\"agent\"},\"level\":\"L2\"," },
        { "a new list of references is JSON", Json, [("businessUnitRefs", new JsonArray(new JsonObject { ["name"] = "support" }))], "{\"name\":\"agent\"},", "{\"name\":\"agent\"},\"businessUnitRefs\":[{\"name\":\"support\"}]," },
        { "a list and a boolean are replaced in place", Json, [("languages", new JsonArray("de", "en")), ("active", JsonValue.Create(true))], "[\"en\"],\"active\":false", "[\"de\",\"en\"],\"active\":true" },
        { "a new field takes the place of a cleared last one", Json, [("maxConcurrentChats", JsonValue.Create(5)), ("active", null)], "[\"en\"],\"active\":false", "[\"en\"],\"maxConcurrentChats\":5" },
        { "an indented document gets a new field on a line of its own", IndentedJson, [("level", JsonValue.Create("L2"))], "    },\n    \"languages\"", "    },\n    \"level\": \"L2\",\n    \"languages\"" },
        { "an indented document's cleared last field goes with its line", IndentedJson, [("active", null)], ",\n    \"active\": false", "" },
        { "an indented document's cleared field goes with its line", IndentedJson, [("mobile", null)], "\"mobile\": \"+4915112345697\",\n    ", "" },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public void A_JSON_document_is_edited_in_JSON(string why, string document, (string Field, JsonNode? Value)[] changes, string from, string to)
    {
        var edits = new Dictionary<string, IReadOnlyList<FieldEdit>> { ["cid"] = [.. changes.Select(c => new FieldEdit(c.Field, c.Value))] };

        var result = ManifestEditor.Apply("cid.json.yaml", document, "Agent", edits, Order);

        result.Should().Be(document.Replace(from, to, StringComparison.Ordinal), why);
        JsonNode.Parse(result).Should().NotBeNull("kubectl reads a file that starts with { as JSON");
    }

    public static TheoryData<string, string, string, string> Unsafe => new()
    {
        {
            "a field a merge key supplies",
            "apiVersion: support.reconciler.dev/v1alpha1\nkind: Agent\nmetadata: {name: dan}\nspec:\n  <<: {level: L2}\n  email: dan@acme.example\n  displayName: Dan\n  roleRef: {name: agent}\n",
            "level",
            "edited, Agent/dan would read spec.level other than the sheet asks (a merge key or an alias"
        },
        {
            "JSON objects one after another (jq -c)",
            Json.TrimEnd() + Json.Replace("cid", "dan", StringComparison.Ordinal),
            "mobile",
            "it is not one YAML stream (several JSON objects one after another"
        },
    };

    [Theory]
    [MemberData(nameof(Unsafe))]
    public void A_document_an_edit_cannot_change_safely_in_place_is_refused_naming_the_file(string why, string document, string field, string message)
    {
        var edits = new Dictionary<string, IReadOnlyList<FieldEdit>> { ["dan"] = [new FieldEdit(field, null)] };

        var refuse = () => ManifestEditor.Apply("agents/dan.yaml", document, "Agent", edits, Order);

        refuse.Should().Throw<InvalidDataException>(why).WithMessage($"agents/dan.yaml: cannot be edited in place: {message}*Nothing was written: make the change in the file by hand, or write its documents in block-style YAML, and import again");
    }

    private static readonly string[] Fragments =
    [
        "a", "Ana", "O'Brien", "x y", "é", "日本", "😀", "\"", "\\", ",", ", ", ":", ": ", "#", " #x", "[", "]", "{", "}", "true", "null", "1",
        "-", "'", "&a", "*a", "!x", "%", "@", "`", "a/b", "\t", "\n", "\r\n", "\u0001", "\u007f", "\u0085", "\u2028", "\ufeff",
    ];

    private static readonly Gen<JsonNode> Text = Gen.OneOf(Fragments).List[1, 3].Select(parts => (JsonNode)JsonValue.Create(string.Concat(parts)));

    private static readonly Gen<JsonNode> Reference = Gen.OneOf("agent", "support", "ana-lima").Select(name => (JsonNode)new JsonObject { ["name"] = name });

    /// <summary>The fields an edit sets, each with its values: strings, lists, references, a number and a boolean.</summary>
    private static readonly Dictionary<string, Gen<JsonNode>> Values = new()
    {
        ["email"] = Gen.OneOf("cid@acme.example", "cid.o-brien+x@acme.example").Select(e => (JsonNode)JsonValue.Create(e)),
        ["displayName"] = Text,
        ["mobile"] = Text,
        ["roleRef"] = Reference,
        ["businessUnitRefs"] = Reference.List[0, 3].Select(refs => (JsonNode)new JsonArray([.. refs])),
        ["level"] = Gen.OneOf(Enum.GetNames<AgentLevel>()).Select(l => (JsonNode)JsonValue.Create(l)),
        ["supervisorRef"] = Reference,
        ["languages"] = Text.List[0, 3].Select(items => (JsonNode)new JsonArray([.. items])),
        ["categories"] = Text.List[0, 3].Select(items => (JsonNode)new JsonArray([.. items])),
        ["maxConcurrentChats"] = Gen.Int[1, 50].Select(n => (JsonNode)JsonValue.Create(n)),
        ["capabilities"] = Gen.OneOf(Enum.GetNames<AgentCapability>()).List[0, 3].Select(items => (JsonNode)new JsonArray([.. items.Select(i => (JsonNode)JsonValue.Create(i))])),
        ["active"] = Gen.Bool.Select(b => (JsonNode)JsonValue.Create(b)),
    };

    private static readonly HashSet<string> Required = ["email", "displayName", "roleRef"];

    /// <summary>A spec: the required fields and some others, in model order or shuffled as a person may write them.</summary>
    private static readonly Gen<JsonObject> Spec =
        Gen.Select(Each(Order.Select(f => Gen.Select(Gen.Int[0, 2], Values[f], (present, value) => (Field: f, Value: Required.Contains(f) || present > 0 ? value : null)))), Gen.Bool)
            .SelectMany((fields, shuffle) => (shuffle ? Gen.Shuffle(fields) : Gen.Const(fields))
                .Select(ordered => new JsonObject(ordered.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Field, f.Value)))));

    /// <summary>Each field left alone, set to a new value, or (if optional) removed, in model order as import makes them.</summary>
    private static readonly Gen<FieldEdit[]> Edits =
        Each(Order.Select(f => Gen.Select(Gen.Int[0, 3], Values[f], (how, value) => how switch
        {
            0 or 1 => null,
            2 => new FieldEdit(f, value),
            _ => Required.Contains(f) ? null : new FieldEdit(f, null),
        }))).Select(edits => edits.OfType<FieldEdit>().ToArray());

    /// <summary>One value of each generator, in order.</summary>
    private static Gen<T[]> Each<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(Array.Empty<T>()), (all, gen) => Gen.Select(all, gen, (items, item) => (T[])[.. items, item]));

    /// <summary>Agent cid's document in one of the shapes a person or a tool writes outside block style.</summary>
    private static Gen<string> DocumentOf(JsonObject spec) => Gen.Int[0, 5].Select(shape =>
    {
        var agent = new JsonObject { ["apiVersion"] = Resource.GroupVersion, ["kind"] = "Agent", ["metadata"] = new JsonObject { ["name"] = "cid" }, ["spec"] = spec.DeepClone() };
        const string Other = "---\n# another agent, left alone\napiVersion: support.reconciler.dev/v1alpha1\nkind: Agent\nmetadata:\n  name: dan\nspec:\n  email: dan@acme.example\n  displayName: Dan\n  roleRef: {name: agent}\n";
        return shape switch
        {
            0 => agent.ToJsonString() + "\n",
            1 => agent.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n",
            2 => new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray(agent) }.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 4 }),
            3 => $"apiVersion: {Resource.GroupVersion}\nkind: Agent\nmetadata: {{name: cid}}\nspec: {FlowYaml(spec, ", ")}  # flow style\n{Other}",
            4 => $"apiVersion: {Resource.GroupVersion}\nkind: Agent\nmetadata:\n  name: cid\nspec: {{\n    {FlowYaml(spec, ",\n    ")[1..^1]}\n  }}\n{Other}",
            _ => $"# one flow mapping\n{{apiVersion: {Resource.GroupVersion}, kind: Agent, metadata: {{name: cid}}, spec: {FlowYaml(spec, ", ")}}}\n{Other}",
        };
    });

    /// <summary>A mapping in YAML's flow style with plain keys, its values as the manifest writer writes scalars, or JSON.</summary>
    private static string FlowYaml(JsonObject obj, string separator) =>
        "{" + string.Join(separator, obj.Select(p => $"{p.Key}: {(p.Value is JsonValue value ? ManifestWriter.Scalar(value) : p.Value!.ToJsonString())}")) + "}";

    [Fact]
    public void Random_edits_to_JSON_and_flow_style_agents_read_back_as_exactly_the_edited_spec()
    {
        var cases = Spec.SelectMany(spec => Gen.Select(DocumentOf(spec), Edits).Select((document, edits) => (Spec: spec, Document: document, Edits: edits)));

        cases.Sample(
            c =>
            {
                var expected = c.Spec.DeepClone().AsObject();
                foreach (var edit in c.Edits)
                {
                    if (edit.Value is null)
                        expected.Remove(edit.Field);
                    else
                        expected[edit.Field] = edit.Value.DeepClone();
                }

                var result = ManifestEditor.Apply("cid.yaml", c.Document, "Agent", new Dictionary<string, IReadOnlyList<FieldEdit>> { ["cid"] = c.Edits }, Order);

                var read = ManifestLoader.LoadYaml(result, "cid.yaml");
                read.Diagnostics.Where(d => d.IsError).Should().BeEmpty(result);
                read.Resources.Select(r => r.Id).Should().Equal(ManifestLoader.LoadYaml(c.Document, "cid.yaml").Resources.Select(r => r.Id));
                SpecOf(read.Resources[0]).Should().BeEquivalentTo(SpecOf(Loaded(expected)), result);
                if (result.StartsWith('{'))
                {
                    var json = JsonNode.Parse(result)!;
                    JsonNode.DeepEquals(json["spec"] ?? json["items"]![0]!["spec"], expected).Should().BeTrue(result);
                }
            },
            iter: 2_000,
            print: c => $"{c.Document}\nedits: {string.Join("; ", c.Edits.Select(e => $"{e.Field} = {e.Value?.ToJsonString() ?? "(removed)"}"))}");
    }

    /// <summary>The agent cid with this spec, read by the loader (which fills in the defaults a removed field falls back to).</summary>
    private static Resource Loaded(JsonObject spec)
    {
        var document = new JsonObject { ["apiVersion"] = Resource.GroupVersion, ["kind"] = "Agent", ["metadata"] = new JsonObject { ["name"] = "cid" }, ["spec"] = spec.DeepClone() };
        var set = ManifestLoader.LoadYaml(document.ToJsonString(), "expected.yaml");
        set.Diagnostics.Where(d => d.IsError).Should().BeEmpty(document.ToJsonString());
        return set.Resources.Single();
    }

    private static Dictionary<string, string> SpecOf(Resource resource) =>
        JsonSerializer.SerializeToNode(resource.SpecObject, ManifestWriter.Json.GetTypeInfo(resource.SpecObject.GetType()))!.AsObject().ToDictionary(p => p.Key, p => p.Value?.ToJsonString() ?? "null");
}
