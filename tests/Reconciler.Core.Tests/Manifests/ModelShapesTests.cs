using System.Collections;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>The generated shape of every kind must be the one reflection over the model builds (<see cref="ReflectedShapes"/>).</summary>
public sealed class ModelShapesTests
{
    public static TheoryData<string> Kinds => [.. ResourceCatalog.Kinds.Select(k => k.Kind)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_generated_shape_of_a_kind_is_the_reflected_one(string kind)
    {
        var info = ResourceCatalog.Find(kind)!;

        Same(ModelShapes.For(info), ReflectedShapes.ObjectOf(info.ResourceType), kind);
    }

    [Fact]
    public void A_kind_s_shape_is_built_once()
    {
        var info = ResourceCatalog.Find("Agent")!;

        ModelShapes.For(info).Should().BeSameAs(ModelShapes.For(info));
    }

    private static void Same(Shape generated, Shape reflected, string path)
    {
        generated.GetType().Should().Be(reflected.GetType(), path);
        generated.Describe.Should().Be(reflected.Describe, path);
        switch (generated, reflected)
        {
            case (ScalarShape g, ScalarShape r):
                (g.Kind, g.IsInt32, g.Min, g.Max).Should().Be((r.Kind, r.IsInt32, r.Min, r.Max), path);
                break;
            case (EnumShape g, EnumShape r):
                g.Names.Should().Equal(r.Names, path);
                foreach (var name in r.Names)
                    g.Values[name].Should().Be(r.Values[name], path).And.BeOfType(r.Values[name].GetType());
                break;
            case (ListShape g, ListShape r):
                Same(g.Item, r.Item, path + "[]");
                g.Failed.Should().Be(r.Failed, path);
                g.Create(1).GetType().Should().Be(r.Create(1).GetType(), path);
                g.Complete(g.Create(0)).GetType().Should().Be(r.Complete(r.Create(0)).GetType(), path);
                break;
            case (MapShape g, MapShape r):
                Same(g.Value, r.Value, path + ".*");
                g.Failed.Should().Be(r.Failed, path);
                g.Create().GetType().Should().Be(r.Create().GetType(), path);
                break;
            case (ObjectShape g, ObjectShape r):
                SameObject(g, r, path);
                break;
        }
    }

    private static void SameObject(ObjectShape generated, ObjectShape reflected, string path)
    {
        generated.Type.Should().Be(reflected.Type, path);
        generated.Fields.Select(f => f.Name).Should().Equal(reflected.Fields.Select(f => f.Name), path);
        generated.IndexOf.Should().BeEquivalentTo(reflected.IndexOf, path);

        var properties = ReflectedShapes.Properties(reflected.Type);
        var none = new object?[properties.Count];
        var (made, expected) = (generated.Build(none), reflected.Build(none));
        made.GetType().Should().Be(reflected.Type, path);
        foreach (var property in properties)
        {
            property.GetValue(made).Should().BeEquivalentTo(property.GetValue(expected), o => o.RespectingRuntimeTypes(),
                "{0}.{1} has the model's default", path, property.Name);

            // The generated shape reads unwritten fields from one instance of defaults, so the objects it builds share them.
            if (property.GetValue(expected) is { } value and not string && !value.GetType().IsValueType)
                property.GetValue(reflected.Build(none)).Should().BeSameAs(value, "{0}.{1}'s default must be one shared value, like an empty array", path, property.Name);
        }

        for (var i = 0; i < reflected.Fields.Count; i++)
        {
            var (g, r) = (generated.Fields[i], reflected.Fields[i]);
            var at = path + "." + r.Name;
            ReflectedShapes.NameOf(properties[i]).Should().Be(g.Name, at);
            (g.Required, g.IsSecretReference).Should().Be((r.Required, r.IsSecretReference), at);
            g.Constraints.Select(c => c.GetType()).Should().Equal(r.Constraints.Select(c => c.GetType()), at);
            for (var c = 0; c < r.Constraints.Count; c++)
                Parameters(g.Constraints[c]).Should().Equal(Parameters(r.Constraints[c]), "{0}'s constraint {1} has the model's parameters", at, c);
            Same(g.Shape, r.Shape, at);
            foreach (var sample in Samples(r.Shape))
                SetsOnly(generated, i, sample, properties, expected, at);
        }
    }

    // Attribute.Equals compares fields, and a validation attribute holds a closure of its own over its message.
    private static IEnumerable<(string, object?)> Parameters(Attribute attribute) =>
        attribute.GetType().GetProperties()
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != nameof(Attribute.TypeId))
            .Select(p => (p.Name, p.GetValue(attribute)));

    /// <summary>A value written for one field is the value of its own property, and the others keep their defaults.</summary>
    private static void SetsOnly(ObjectShape generated, int field, object sample, IReadOnlyList<System.Reflection.PropertyInfo> properties, object defaults, string at)
    {
        var values = new object?[properties.Count];
        values[field] = sample;
        var built = generated.Build(values);
        for (var i = 0; i < properties.Count; i++)
        {
            var value = properties[i].GetValue(built);
            if (i != field)
                value.Should().BeEquivalentTo(properties[i].GetValue(defaults), o => o.RespectingRuntimeTypes(), "{0} sets only {1}", at, properties[field].Name);
            else if (sample.GetType().IsValueType)
                value.Should().Be(sample, at);
            else
                value.Should().BeSameAs(sample, at);
        }
    }

    /// <summary>Values of a shape's type, at least one of them unlike any default.</summary>
    private static IEnumerable<object> Samples(Shape shape) => shape switch
    {
        ScalarShape { Kind: ScalarKind.String } => ["sample"],
        ScalarShape { Kind: ScalarKind.Integer, IsInt32: true } => [42, -7],
        ScalarShape { Kind: ScalarKind.Integer } => [42L, -7L],
        ScalarShape { Kind: ScalarKind.Boolean } => [true, false],
        ScalarShape { Kind: ScalarKind.DateTime } => [new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero)],
        EnumShape e => [e.Values[e.Names[0]], e.Values[e.Names[^1]]],
        ListShape l => [l.Complete(l.Create(0))],
        MapShape m => [(IDictionary)m.Create()],
        ObjectShape o => [o.Build(new object?[o.Fields.Count])],
        FreeFormShape => [new System.Text.Json.Nodes.JsonObject { ["f:spec"] = new System.Text.Json.Nodes.JsonObject() }],
        _ => throw new NotSupportedException(shape.GetType().Name),
    };
}
