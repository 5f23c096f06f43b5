using System.Text;
using System.Text.Json;
using CsCheck;
using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>
/// List documents as kubectl reads them (checked against kubectl 1.x with <c>kubectl label --local -f</c>): a
/// <c>v1 List</c>'s items and a kind's own list's items are resources; a typed list's items may leave out kind and
/// apiVersion; a list inside a list is not read.
/// </summary>
public sealed class ManifestLoaderListTests
{
    private const string Role = "apiVersion: support.reconciler.dev/v1alpha1\n  kind: Role\n";

    public static TheoryData<string, string[], string[]> Lists => new()
    {
        {
            // What kubectl get -o yaml writes for several objects.
            "apiVersion: v1\nkind: List\nmetadata: {resourceVersion: \"\"}\nitems:\n"
            + "- " + Role + "  metadata: {name: r1}\n  spec: {displayName: R1, permissions: [inbox.view]}\n"
            + "- apiVersion: support.reconciler.dev/v1alpha1\n  kind: TagGroup\n  metadata: {name: t1}\n  spec: {displayName: T1}\n",
            ["Role/r1@5", "TagGroup/t1@9"], []
        },
        {
            // The API server's list of a kind: items carry neither kind nor apiVersion.
            "apiVersion: support.reconciler.dev/v1alpha1\nkind: RoleList\nitems:\n- metadata: {name: typed}\n  spec: {displayName: T}\n",
            ["Role/typed@4"], []
        },
        {
            "apiVersion: support.reconciler.dev/v1alpha1\nkind: RoleList\nitems: [{metadata: {name: flow}, spec: {displayName: F}}]\n",
            ["Role/flow@3"], []
        },
        { "apiVersion: v1\nkind: List\nitems: []\n", [], [] },
        { "apiVersion: v1\nkind: List\nitems:\n", [], [] },
        { "apiVersion: v1\nkind: List\n", [], ["missing-required 1:1 items"] },
        { "apiVersion: v1\nkind: List\nitems: {a: b}\n", [], ["wrong-type 3:8 items"] },
        { "apiVersion: v1\nkind: List\nitems:\n- just text\n", [], ["document-not-a-mapping 4:3 items[0]"] },
        { "apiVersion: v1\nkind: List\nitem: []\nitems: []\n", [], ["unknown-field 3:1 item"] },
        {
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - " + Role.Replace("\n  ", "\n    ", StringComparison.Ordinal) + "    metadata: {name: inner}\n    spec: {displayName: I}\n",
            [], ["nested-list 4:3 items[0]"]
        },
        {
            // A typed list's apiVersion is its items' when they name none: another group's Role is not ours.
            "apiVersion: other.example/v1\nkind: RoleList\nitems:\n- metadata: {name: typed}\n  spec: {displayName: T}\n",
            [], ["unknown-api-version 1:13 apiVersion"]
        },
        {
            // An error inside an item is reported where it stands, with the item's own path.
            "apiVersion: v1\nkind: List\nitems:\n- " + Role + "  metadata: {name: bad}\n  spec:\n    displayName: B\n    colour: red\n- " + Role + "  metadata: {name: good}\n  spec: {displayName: G}\n",
            ["Role/good@10"], ["unknown-field 9:5 spec.colour"]
        },
        { "apiVersion: v1\nkind: ConfigMapList\nitems: []\n", [], ["unknown-kind 2:7 kind"] },
        {
            // kubectl fills in both or neither: an item naming one of them must name the other (checked with kubectl label --local).
            "apiVersion: support.reconciler.dev/v1alpha1\nkind: RoleList\nitems:\n- apiVersion: support.reconciler.dev/v1alpha1\n  metadata: {name: a}\n  spec: {displayName: A}\n"
            + "- kind: Role\n  metadata: {name: b}\n  spec: {displayName: B}\n",
            [], ["missing-required 4:3 kind", "missing-required 7:3 apiVersion"]
        },
        {
            // An alias item is the same node again: refused, not loaded as the same resource twice.
            "apiVersion: support.reconciler.dev/v1alpha1\nkind: RoleList\nitems:\n- &r {metadata: {name: r}, spec: {displayName: R}}\n- *r\n",
            ["Role/r@4"], ["yaml-alias-expansion 4:3 items[1]"]
        },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void A_list_documents_items_load_as_documents_of_their_own(string yaml, string[] resources, string[] diagnostics)
    {
        var set = Load(yaml);

        set.Resources.Select(r => $"{r.Id}@{r.Source!.Line}").Should().Equal(resources);
        set.Diagnostics.Select(d => $"{d.Code} {d.Line}:{d.Column} {d.Path}").Should().Equal(diagnostics);
    }

    [Fact]
    public void A_lists_items_count_toward_the_files_documents_limit()
    {
        var items = string.Concat(Enumerable.Range(0, 6).Select(i => $"- {{metadata: {{name: r{i}}}, spec: {{displayName: R}}}}\n"));
        var limits = new ManifestLimits { MaxDocumentsPerFile = 5 };

        var set = ManifestLoader.LoadYaml("apiVersion: support.reconciler.dev/v1alpha1\nkind: RoleList\nitems:\n" + items, "many.yaml", limits);

        set.Resources.Should().BeEmpty();
        set.Diagnostics.Should().ContainSingle().Which.Code.Should().Be(DiagnosticCodes.TooManyDocuments);
    }

    [Fact]
    public void A_resource_in_a_list_and_in_a_document_is_defined_twice()
    {
        var set = Load(Doc("Role", "r1", "displayName: R1") + "apiVersion: v1\nkind: List\nitems:\n- " + Role + "  metadata: {name: r1}\n  spec: {displayName: R1}\n");

        set.Diagnostics.Should().ContainSingle(d => d.Code == DiagnosticCodes.DuplicateResource && d.Line == 12, set.Diagnostics.Describe());
    }

    [Fact]
    public void What_rules_find_in_an_item_is_placed_in_the_item()
    {
        // The semantic rules ask for positions after loading: found again in the list's item, not its document's root.
        var report = ManifestValidator.ValidateYaml("apiVersion: v1\nkind: List\nitems:\n"
            + "- apiVersion: support.reconciler.dev/v1alpha1\n  kind: Agent\n  metadata: {name: a1}\n  spec:\n    email: a1@acme.example\n    displayName: A1\n    roleRef: {name: missing}\n", "list.yaml");

        report.Errors().Should().ContainSingle().Which.Should().Match<Diagnostic>(d =>
            d.Code == DiagnosticCodes.ReferenceNotFound && d.Line == 10 && d.Column == 21 && d.Path == "spec.roleRef.name");
    }

    [Fact]
    public void Any_set_of_documents_loads_the_same_as_one_list_of_them()
    {
        var names = Gen.String[Gen.Char['a', 'z'], 1, 8];
        var documents = Gen.Select(Gen.OneOf(Gen.Const("Role"), Gen.Const("Agent"), Gen.Const("TagGroup"), Gen.Const("BusinessUnit")), names, Gen.Bool)
            .Select((kind, name, flow) => kind switch
            {
                "Agent" => Agent(name, flow ? "languages: [en, de]" : "languages:\n  - en\n  - de"),
                "Role" => Doc(kind, name, flow ? "displayName: \"R: x\"\npermissions: [inbox.view]" : "displayName: R\npermissions:\n  - inbox.view"),
                _ => Doc(kind, name, "displayName: |\n  two\n  lines"),
            })
            .List[0, 12];

        documents.Sample(docs =>
        {
            var separate = Load(Background + string.Concat(docs));
            var listed = Load(Background + AsList(docs));

            Shape(listed).Should().Equal(Shape(separate));
            listed.Diagnostics.Select(d => d.Code).Should().Equal(separate.Diagnostics.Select(d => d.Code));
        }, iter: 300);
    }

    /// <summary>Documents as the items of one v1 List, each indented under its dash.</summary>
    private static string AsList(IEnumerable<string> documents)
    {
        var text = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
        foreach (var document in documents)
        {
            var lines = document[..document.LastIndexOf("---\n", StringComparison.Ordinal)].TrimEnd('\n').Split('\n');
            for (var i = 0; i < lines.Length; i++)
                text.Append(i == 0 ? "- " : "  ").Append(lines[i]).Append('\n');
        }

        return text.ToString();
    }

    private static IEnumerable<string> Shape(ManifestSet set) =>
        set.Resources.Select(r => $"{r.Id} {JsonSerializer.Serialize(r.SpecObject, r.SpecObject.GetType())}");
}
