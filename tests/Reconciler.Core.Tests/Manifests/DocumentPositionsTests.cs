using System.Text;
using CsCheck;
using Reconciler.Core.FieldOwnership;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>
/// Positions are found on demand by walking a document's tree along a path; they must be exactly the ones an eager walk
/// recording every node's path gives (what the loader kept per resource before), for any document, valid or not.
/// </summary>
public sealed class DocumentPositionsTests
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "kind" };

    private const string File = "gen.yaml";

    // Map keys that make paths collide or look like other paths: dots, brackets, empty.
    private static readonly string[] MapKeys = ["a", "b", "a.b", "a[0]", "[1]", "k.", "", "x y"];

    [Fact]
    public void Every_position_found_on_demand_is_the_one_the_eager_walk_records()
    {
        Document.Sample(text =>
        {
            var diagnostics = new List<Diagnostic>();
            var documents = YamlTreeReader.Read(File, text, ManifestLimits.Default, diagnostics);
            documents.Should().ContainSingle();
            var root = documents[0].Root.Should().BeOfType<YamlMappingNode>().Subject;
            var kind = root.Entries.First(e => e.Key.Value == "kind").Value.Should().BeOfType<YamlScalarNode>().Subject.Value;
            var shape = ModelShapes.For(ResourceCatalog.Find(kind)!);
            var eager = new EagerWalk();
            eager.Object(root, shape, "", Ignored);
            var lazy = new DocumentPositions(new FileTrees(File, SourceText.Of(text), ManifestLimits.Default), 0, -1, shape, Ignored, 0);

            eager.Positions.Should().NotBeEmpty();
            foreach (var (path, at) in eager.Positions)
            {
                lazy.TryLocate(path, out var found).Should().BeTrue(path);
                found.Should().Be(at, path);
            }

            foreach (var probe in eager.Positions.Keys.SelectMany(Probes).Distinct())
            {
                lazy.TryLocate(probe, out var found).Should().Be(eager.Positions.TryGetValue(probe, out var at), probe);
                found.Should().Be(at, probe);
            }

            // Whether an ownable field was written is answered from what the loader noted, without the file: these
            // positions have no text to read again.
            var ownable = FieldOwners.Ownable(kind);
            var noted = new DocumentPositions(new FileTrees(File, SourceText.Of(""), ManifestLimits.Default), 0, -1, shape, Ignored,
                DocumentPositions.Written(File, root, shape, Ignored, ownable));
            foreach (var path in ownable)
                noted.IsWritten(ownable, path).Should().Be(eager.Positions.ContainsKey(path), path);
        }, iter: 400);
    }

    [Theory]
    [InlineData("spec.email", true)]
    [InlineData("spec.displayName", true)]
    [InlineData("spec.mobile", true)] // null, but written: an owned field written null is warned of too
    [InlineData("spec.level", false)] // only its default
    [InlineData("spec.active", false)] // only its default
    [InlineData("spec.maxConcurrentChats", true)]
    [InlineData("spec.roleRef", true)]
    [InlineData("spec.roleRef.name", true)] // nested: not a field that can be owned, found in the tree
    [InlineData("spec.supervisorRef", false)]
    [InlineData("spec.businessUnitRefs", true)]
    [InlineData("spec.businessUnitRefs[1]", true)] // a list's element
    [InlineData("spec.businessUnitRefs[1].name", true)]
    [InlineData("spec.businessUnitRefs[2]", false)]
    [InlineData("spec.languages", true)] // an empty list is written
    [InlineData("spec.categories", false)]
    [InlineData("metadata.name", true)]
    [InlineData("metadata.labels", false)]
    [InlineData("spec", true)]
    public void Whether_a_field_was_written_is_answered_for_written_defaulted_nested_and_list_element_paths(string path, bool written)
    {
        var set = ManifestLoader.LoadYaml("""
            apiVersion: support.reconciler.dev/v1alpha1
            kind: Agent
            metadata: {name: maria}
            spec:
              email: maria@example.com
              displayName: Maria
              mobile: ~
              maxConcurrentChats: 4
              roleRef: {name: agent}
              businessUnitRefs:
                - name: sales
                - {name: support}
              languages: []
            """);

        set.Diagnostics.Should().BeEmpty();
        set.IsWritten(set.Resources.Should().ContainSingle().Subject, path).Should().Be(written);
    }

    [Theory]
    [InlineData("spec.tags[1].color", 12, 14)]
    [InlineData("spec.tags[1]", 11, 7)]
    [InlineData("spec.tags[0].name", 9, 13)]
    [InlineData("spec.tags", 9, 5)]
    [InlineData("metadata.labels.team.x", 5, 22)] // the key "team.x", not team's value (a string has no fields)
    [InlineData("metadata.labels.team", 5, 35)]
    [InlineData("metadata.name", 4, 9)]
    public void A_field_is_located_where_it_is_written_in_nested_lists_and_dotted_keys(string path, int line, int column)
    {
        var set = ManifestLoader.LoadYaml("""
            apiVersion: support.reconciler.dev/v1alpha1
            kind: TagGroup
            metadata:
              name: colours
              labels: {"team.x": sales, team: x}
            spec:
              displayName: Colours
              tags:
                - name: red
                -
                  name: blue
                  color: "#0000FF"
            """);

        set.Diagnostics.Should().BeEmpty();
        var resource = set.Resources.Should().ContainSingle().Subject;
        set.Locate(resource, path).Should().Be(new SourceLocation("manifest.yaml", line, column));
        set.IsWritten(resource, path).Should().BeTrue();
    }

    [Theory]
    [InlineData("spec.tags[0].color", 7, 7)] // not written: its item
    [InlineData("spec.tags[2].name", 7, 5)] // no such item: the list
    [InlineData("spec.tags[01]", 7, 5)] // not how the loader writes an index
    [InlineData("metadata.annotations[support.reconciler.dev/field-owners]", 3, 11)]
    [InlineData("kind", 1, 1)] // handled by the loader, not a field: the document
    public void A_field_not_written_is_located_at_its_nearest_written_ancestor(string path, int line, int column)
    {
        var set = ManifestLoader.LoadYaml("""
            apiVersion: support.reconciler.dev/v1alpha1
            kind: TagGroup
            metadata: {name: colours}
            spec:
              displayName: Colours
              tags:
                - name: red
            """);

        var resource = set.Resources.Should().ContainSingle().Subject;
        set.Locate(resource, path).Should().Be(new SourceLocation("manifest.yaml", line, column));
        set.IsWritten(resource, path).Should().BeFalse();
    }

    [Fact]
    public void Positions_are_found_in_the_resources_own_document_after_empty_scalar_and_failed_ones_and_from_many_threads()
    {
        // The set keeps each file's text and reads its trees again on the first question, so a resource must point at
        // its own document of the re-read file, whatever documents before it were skipped.
        static string Group(string name, int pad) => $"""
            apiVersion: support.reconciler.dev/v1alpha1
            kind: TagGroup
            metadata:
              name: {name}
            spec:
            {new string('\n', pad)}
              displayName: {name}
            """;
        var first = string.Join("\n---\n", ["", "just a scalar", Group("one", 0), "kind: TagGroup\nmetadata: {name: broken}\nspec: {displayName: [x]}", "# only a comment", Group("two", 2)]);
        var second = string.Join("\n---\n", [Group("three", 1), "~", Group("four", 0)]);

        var set = ManifestLoader.LoadSources([new ManifestSource("a.yaml", first), new ManifestSource("b.yaml", second)]);

        var expected = new Dictionary<string, SourceLocation>
        {
            ["one"] = new("a.yaml", 11, 16),
            ["two"] = new("a.yaml", 27, 16),
            ["three"] = new("b.yaml", 8, 16),
            ["four"] = new("b.yaml", 18, 16),
        };
        set.Resources.Select(r => r.Metadata.Name).Should().Equal(expected.Keys);
        var found = new SourceLocation[set.Resources.Count];
        Parallel.For(0, found.Length, i => found[i] = set.Locate(set.Resources[i], "spec.displayName"));
        found.Should().Equal(expected.Values);
        set.Resources.Should().OnlyContain(r => set.IsWritten(r, "spec.displayName") && !set.IsWritten(r, "spec.tags"));
    }

    /// <summary>Paths beside a recorded one that may or may not be recorded themselves.</summary>
    private static IEnumerable<string> Probes(string path) =>
        [path + ".name", path + "[0]", path + "[1]", path + "[01]", path + "[-1]", path + "[99999999999]", path + ".", path + "[",
            path + ".a.b", path.Length > 0 ? path[..^1] : "x", "." + path];

    // The generated documents: one resource of any kind, fields chosen from its shape with some nulls, wrong types,
    // unknown and duplicate keys, map keys with dots and brackets, written in block and flow style.
    private static readonly Gen<string> Document =
        Gen.OneOf(ResourceCatalog.Kinds.ToArray()).SelectMany(kind =>
            NodeOf(ModelShapes.For(kind), 0).Select(Gen.Bool, Gen.Int[0, 2], (root, kindFirst, padding) =>
            {
                var entries = ((Mapping)root).Entries;
                var kindEntry = ("kind", (Node)new Text(kind.Kind));
                var mapping = new Mapping(kindFirst ? [kindEntry, .. entries] : [.. entries, kindEntry], Flow: false);
                var text = new StringBuilder();
                text.Append('\n', padding).Append(padding > 0 ? "# leading lines move every position\n" : "");
                Block(mapping, 0, text);
                return text.ToString();
            }));

    private abstract record Node;

    private sealed record Text(string Value) : Node;

    private sealed record Mapping(IReadOnlyList<(string Key, Node Value)> Entries, bool Flow) : Node;

    private sealed record Sequence(IReadOnlyList<Node> Items, bool Flow) : Node;

    private static Gen<Node> NodeOf(Shape shape, int depth) =>
        Gen.Int[0, 19].SelectMany(roll => roll switch
        {
            0 when depth > 0 => Gen.OneOf<Node>(new Text("~"), new Text("null")),
            1 when depth > 0 => Gen.OneOf<Node>(new Text("x"), new Mapping([("a", new Text("1"))], true), new Sequence([new Text("x")], false)),
            2 when depth > 0 => Gen.Const<Node>(new Text("\"{{ .Values.x }}\"")),
            _ => Fitting(shape, depth),
        });

    private static Gen<Node> Fitting(Shape shape, int depth) => shape switch
    {
        ObjectShape obj => All(obj.Fields.Select(f => Gen.Int[0, 2].SelectMany(r => r == 0
                ? NodeOf(f.Shape, depth + 1).Select(v => ((string Key, Node Value)?)(f.Name, v))
                : Gen.Const(((string Key, Node Value)?)null))))
            .Select(Gen.Int[0, 9], Gen.Bool, (fields, extra, flow) =>
            {
                var entries = fields.OfType<(string Key, Node Value)>().ToList();
                if (extra == 0)
                    entries.Add(("bogus", new Text("x")));
                if (extra == 1 && entries.Count > 0)
                    entries.Add(entries[0]);
                return (Node)new Mapping(entries, flow && depth > 0);
            }),
        MapShape map => Gen.Select(Gen.OneOf(MapKeys), NodeOf(map.Value, depth + 1)).Array[0, 4]
            .Select(Gen.Bool, (entries, flow) => (Node)new Mapping(entries, flow)),
        ListShape list => NodeOf(list.Item, depth + 1).Array[0, 3].Select(Gen.Bool, (items, flow) => (Node)new Sequence(items, flow)),
        EnumShape enumShape => Gen.OneOf<Node>(new Text(enumShape.Names[0]), new Text("bogus")),
        ScalarShape { Kind: ScalarKind.Integer } => Gen.OneOf<Node>(new Text("3"), new Text("\"3\"")),
        ScalarShape { Kind: ScalarKind.Boolean } => Gen.OneOf<Node>(new Text("true"), new Text("yes")),
        ScalarShape { Kind: ScalarKind.DateTime } => Gen.Const<Node>(new Text("\"2026-01-01T00:00:00Z\"")),
        _ => Gen.OneOf<Node>(new Text("x"), new Text("two words"), new Text("\"#12AB34\""), new Text("7")),
    };

    private static Gen<IReadOnlyList<T>> All<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const<IReadOnlyList<T>>([]), (all, next) => all.SelectMany(list => next.Select(item => (IReadOnlyList<T>)[.. list, item])));

    private static void Block(Node node, int indent, StringBuilder text)
    {
        var children = node switch
        {
            Mapping mapping => mapping.Entries.Select(e => (Lead: Key(e.Key) + ":", e.Value)),
            Sequence sequence => sequence.Items.Select(i => (Lead: "-", Value: i)),
            _ => [],
        };
        foreach (var (lead, value) in children)
        {
            text.Append(' ', indent).Append(lead);
            if (value is Mapping { Flow: false, Entries.Count: > 0 } or Sequence { Flow: false, Items.Count: > 0 })
            {
                text.Append('\n');
                Block(value, indent + 2, text);
            }
            else
            {
                text.Append(' ').Append(Flow(value)).Append('\n');
            }
        }
    }

    private static string Flow(Node node) => node switch
    {
        Mapping mapping => "{" + string.Join(", ", mapping.Entries.Select(e => $"{Key(e.Key)}: {Flow(e.Value)}")) + "}",
        Sequence sequence => "[" + string.Join(", ", sequence.Items.Select(Flow)) + "]",
        Text scalar => scalar.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static string Key(string key) => key.Length > 0 && key.All(char.IsAsciiLetter) ? key : $"\"{key}\"";

    /// <summary>The eager walk: every node the shape checker visits, recorded with its path as a string.</summary>
    private sealed class EagerWalk
    {
        public Dictionary<string, SourceLocation> Positions { get; } = new(StringComparer.Ordinal);

        public void Object(YamlMappingNode mapping, ObjectShape shape, string path, IReadOnlySet<string>? ignored)
        {
            Positions.TryAdd(path, mapping.Start.In(File));
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (key, value) in mapping.Entries)
            {
                if (!keys.Add(key.Value) || ignored?.Contains(key.Value) == true || !shape.IndexOf.TryGetValue(key.Value, out var index))
                    continue;
                var fieldPath = Join(path, key.Value);
                Positions[fieldPath] = value.Start.In(File);
                var field = shape.Fields[index];
                if (!IsNull(value) && !(field.IsSecretReference && value is YamlScalarNode))
                    Check(value, field.Shape, fieldPath);
            }
        }

        private void Check(YamlNode node, Shape shape, string path)
        {
            Positions.TryAdd(path, node.Start.In(File));
            switch (shape)
            {
                case ObjectShape objectShape when node is YamlMappingNode mapping:
                    Object(mapping, objectShape, path, null);
                    break;
                case MapShape mapShape when node is YamlMappingNode mapping:
                    var taken = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var (key, value) in mapping.Entries)
                    {
                        if (!taken.Contains(key.Value) && !IsNull(value))
                        {
                            taken.Add(key.Value);
                            Check(value, mapShape.Value, Join(path, key.Value));
                        }
                    }

                    break;
                case ListShape listShape when node is YamlSequenceNode sequence:
                    for (var i = 0; i < sequence.Items.Length; i++)
                    {
                        if (!IsNull(sequence.Items[i]))
                            Check(sequence.Items[i], listShape.Item, $"{path}[{i}]");
                    }

                    break;
            }
        }

        private static bool IsNull(YamlNode node) => node is YamlScalarNode scalar && ShapeChecker.Resolve(scalar) == ShapeChecker.Scalar.Null;

        private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
    }
}
