using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Reconciler.Core.Generators;

/// <summary>
/// Writes one resource type's shape as the reflection over the model built it: the public settable properties not
/// <c>[JsonIgnore]</c>d, in metadata order, camelCase, with required-ness, secret references and validation attributes; and
/// how to build an instance from the fields' values, with an object initializer (init-only setters need one; an accessor
/// for each setter compiled at run time, where ReadyToRun has none, cost more start-up than the reflection it replaced).
/// </summary>
internal sealed class ShapeWriter
{
    private static readonly SymbolDisplayFormat Qualified = SymbolDisplayFormat.FullyQualifiedFormat;

    private readonly Compilation _compilation;
    private readonly CancellationToken _cancellation;
    private readonly List<GeneratedMember> _members = [];
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];
    private readonly INamedTypeSymbol? _validation;
    private readonly INamedTypeSymbol? _required;
    private readonly INamedTypeSymbol? _secretReference;
    private readonly INamedTypeSymbol? _jsonIgnore;
    private readonly INamedTypeSymbol? _dateTimeOffset;
    private readonly INamedTypeSymbol? _freeForm;
    private readonly INamedTypeSymbol? _kindAttribute;
    private readonly INamedTypeSymbol? _printerColumn;
    private readonly INamedTypeSymbol?[] _maps;
    private readonly INamedTypeSymbol?[] _lists;
    private Dictionary<SyntaxTree, int>? _treeOrder;

    public ShapeWriter(Compilation compilation, CancellationToken cancellation)
    {
        _compilation = compilation;
        _cancellation = cancellation;
        _validation = Type("System.ComponentModel.DataAnnotations.ValidationAttribute");
        _required = Type("System.ComponentModel.DataAnnotations.RequiredAttribute");
        _secretReference = Type("Reconciler.Core.Resources.SecretReferenceAttribute");
        _jsonIgnore = Type("System.Text.Json.Serialization.JsonIgnoreAttribute");
        _dateTimeOffset = Type("System.DateTimeOffset");
        _freeForm = Type("System.Text.Json.Nodes.JsonObject");
        _kindAttribute = Type("Reconciler.Core.Resources.KubernetesKindAttribute");
        _printerColumn = Type("Reconciler.Core.Resources.PrinterColumnAttribute");
        _maps = [Type("System.Collections.Generic.IReadOnlyDictionary`2"), Type("System.Collections.Generic.IDictionary`2"), Type("System.Collections.Generic.Dictionary`2")];
        _lists =
        [
            Type("System.Collections.Generic.IReadOnlyList`1"), Type("System.Collections.Generic.IList`1"), Type("System.Collections.Generic.List`1"),
            compilation.GetSpecialType(SpecialType.System_Collections_Generic_IEnumerable_T), Type("System.Collections.Generic.IReadOnlyCollection`1"),
        ];
    }

    public KindShapes Kind(INamedTypeSymbol resourceType)
    {
        var entry = ObjectShape(resourceType);
        var facts = Facts(resourceType);
        return new KindShapes(Name(resourceType), entry, new([.. _members]), facts, new([.. _errors]));
    }

    /// <summary>
    /// What the catalog reads of a resource type: its <c>[KubernetesKind]</c>, the types of its Spec and Status properties, and its
    /// <c>[PrinterColumn]</c>s in the order written (neither attribute is inherited, so only the type's own).
    /// </summary>
    private string Facts(INamedTypeSymbol type)
    {
        var attributes = type.GetAttributes();
        var kind = attributes.First(a => Derives(a.AttributeClass, _kindAttribute));
        var columns = attributes.Where(a => Derives(a.AttributeClass, _printerColumn)).Select(Recreate);
        return $"new({Recreate(kind)}, typeof({Name(PropertyType(type, "Spec"))}), typeof({Name(PropertyType(type, "Status"))}), "
            + $"new global::Reconciler.Core.Resources.PrinterColumnAttribute[] {{ {string.Join(", ", columns)}{(columns.Any() ? " " : "")}}})";
    }

    private ITypeSymbol PropertyType(INamedTypeSymbol type, string name)
    {
        for (var declaring = type; declaring is not null; declaring = declaring.BaseType)
        {
            if (declaring.GetMembers(name).OfType<IPropertySymbol>().FirstOrDefault(p => !p.IsStatic && p.DeclaredAccessibility == Accessibility.Public) is { } property)
                return property.Type;
        }

        _errors.Add($"The resource type {type} has no public {name} property.");
        return _compilation.GetSpecialType(SpecialType.System_Object);
    }

    private INamedTypeSymbol? Type(string metadataName) => _compilation.GetTypeByMetadataName(metadataName);

    private static string Name(ITypeSymbol type) => type.ToDisplayString(Qualified);

    private static string Id(ITypeSymbol type)
    {
        var id = new StringBuilder();
        // Without nullable annotations: a ResourceRef and a ResourceRef? are one type with one shape builder.
        foreach (var c in Name(type).Replace("global::", ""))
            id.Append(char.IsLetterOrDigit(c) ? c : '_');
        return id.ToString();
    }

    /// <summary>Writes the builder of a class's shape (once) and returns its name.</summary>
    private string ObjectShape(INamedTypeSymbol type)
    {
        _cancellation.ThrowIfCancellationRequested();
        var method = "Shape_" + Id(type);
        if (!_written.Add(method))
            return method;
        if (!type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public))
            _errors.Add($"The manifest loader needs a parameterless constructor on {type}.");

        var name = Name(type);
        var properties = Properties(type);
        var fields = properties.Select(Field).ToList();
        var required = Required(type);
        var source = new StringBuilder()
            .Append("    private static ObjectShape ").Append(method).AppendLine("()")
            .AppendLine("    {")
            .AppendLine("        // The model's defaults as Activator made them: the initializers run, required members left unset for the loader.")
            .Append("        var defaults = new ").Append(name).Append(" { ").Append(string.Join(", ", required.Select(p => p.Name + " = default!"))).AppendLine(" };")
            .AppendLine("        return new(")
            .Append("            typeof(").Append(name).AppendLine("),")
            .Append("            values => new ").AppendLine(name)
            .AppendLine("            {");
        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            source.Append("                ").Append(property.Name).Append(" = values[").Append(i).Append("] is { } value").Append(i)
                .Append(" ? (").Append(Name(Unboxed(property.Type))).Append(")value").Append(i).Append(" : defaults.").Append(property.Name).AppendLine(",");
        }

        // A required member the manifest does not write must still be named for the object initializer to compile.
        foreach (var property in required.Where(r => !properties.Any(p => p.Name == r.Name)))
            source.Append("                ").Append(property.Name).Append(" = defaults.").Append(property.Name).AppendLine(",");
        source.AppendLine("            },")
            .AppendLine("            new ComparisonShape[]")
            .AppendLine("            {");
        foreach (var field in fields)
            source.Append("                ").Append(field).AppendLine(",");
        source.AppendLine("            });")
            .AppendLine("    }");
        _members.Add(new GeneratedMember(method, source.ToString()));
        return method;
    }

    /// <summary>
    /// The type a field's value is unboxed to: a nullable's underlying type (the value is never null there), as ReadyToRun
    /// leaves a method unboxing to a nullable to the JIT.
    /// </summary>
    private static ITypeSymbol Unboxed(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;

    /// <summary>The required members of a type and its bases, which an object initializer must set.</summary>
    private static List<IPropertySymbol> Required(INamedTypeSymbol type)
    {
        var required = new List<IPropertySymbol>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var declaring = type; declaring is not null; declaring = declaring.BaseType)
        {
            foreach (var property in declaring.GetMembers().OfType<IPropertySymbol>())
            {
                if (names.Add(property.Name) && property.IsRequired)
                    required.Add(property);
            }
        }

        return required;
    }

    /// <summary>
    /// The public settable properties in the order of their metadata tokens: the declaring types in the order the compiler
    /// emits them (source order), and each type's properties in declaration order.
    /// </summary>
    private List<IPropertySymbol> Properties(INamedTypeSymbol type)
    {
        var found = new List<(IPropertySymbol Property, (int Tree, int Position) TypeOrder, int Index)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var declaring = type; declaring is not null && declaring.SpecialType != SpecialType.System_Object; declaring = declaring.BaseType)
        {
            var members = declaring.GetMembers();
            var order = Order(declaring);
            for (var i = 0; i < members.Length; i++)
            {
                // A property overridden or hidden in a derived type is reflected once, as the derived type declares it.
                if (members[i] is not IPropertySymbol { IsStatic: false, IsIndexer: false } property || !names.Add(property.Name))
                    continue;
                if (property.SetMethod is { DeclaredAccessibility: Accessibility.Public } && !Has(property, _jsonIgnore))
                    found.Add((property, order, i));
            }
        }

        return [.. found.OrderBy(f => f.TypeOrder.Tree).ThenBy(f => f.TypeOrder.Position).ThenBy(f => f.Index).Select(f => f.Property)];
    }

    private (int Tree, int Position) Order(INamedTypeSymbol type)
    {
        if (type.OriginalDefinition.DeclaringSyntaxReferences.FirstOrDefault() is not { } declaration)
            return (-1, 0);
        _treeOrder ??= _compilation.SyntaxTrees.Select((tree, i) => (tree, i)).ToDictionary(t => t.tree, t => t.i);
        return (_treeOrder.TryGetValue(declaration.SyntaxTree, out var index) ? index : int.MaxValue, declaration.Span.Start);
    }

    private string Field(IPropertySymbol property)
    {
        var required = property.IsRequired || Has(property, _required);
        var constraints = property.GetAttributes()
            .Where(a => Derives(a.AttributeClass, _validation) && !Derives(a.AttributeClass, _required))
            .Select(Recreate);
        return $"new(\"{CamelCase(property.Name)}\", {Shape(property.Type)}, {Bool(required)}, {Bool(Has(property, _secretReference))}, "
            + $"new global::System.ComponentModel.DataAnnotations.ValidationAttribute[] {{ {string.Join(", ", constraints)}{(constraints.Any() ? " " : "")}}})";
    }

    private string Shape(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            type = nullable.TypeArguments[0];
        switch (type.SpecialType)
        {
            case SpecialType.System_String:
                return "new ScalarShape(ScalarKind.String)";
            case SpecialType.System_Boolean:
                return "new ScalarShape(ScalarKind.Boolean)";
            case SpecialType.System_Int32:
                return "new ScalarShape(ScalarKind.Integer, int.MinValue, int.MaxValue, isInt32: true)";
            case SpecialType.System_Int64:
                return "new ScalarShape(ScalarKind.Integer)";
        }

        if (SymbolEqualityComparer.Default.Equals(type, _dateTimeOffset))
            return "new ScalarShape(ScalarKind.DateTime)";
        if (SymbolEqualityComparer.Default.Equals(type, _freeForm))
            return "new FreeFormShape()";
        if (type.TypeKind == TypeKind.Enum)
            return Enum((INamedTypeSymbol)type);
        if (type is IArrayTypeSymbol array)
            return $"new ListShape({Shape(array.ElementType)}, new ModelInstances<{Name(array.ElementType)}>(), isArray: true)";
        if (type is INamedTypeSymbol { IsGenericType: true } generic)
        {
            var definition = generic.ConstructedFrom;
            if (_maps.Contains(definition, SymbolEqualityComparer.Default))
                return $"new MapShape({Shape(generic.TypeArguments[1])}, new ModelInstances<{Name(generic.TypeArguments[1])}>())";
            if (_lists.Contains(definition, SymbolEqualityComparer.Default))
                return $"new ListShape({Shape(generic.TypeArguments[0])}, new ModelInstances<{Name(generic.TypeArguments[0])}>(), isArray: false)";
        }

        if (type.TypeKind == TypeKind.Class && type is INamedTypeSymbol named)
            return ObjectShape(named) + "()";
        _errors.Add($"The manifest loader has no shape for {type}; add one to ModelShapesGenerator.");
        return "null!";
    }

    /// <summary>The names and values in the order <c>Enum.GetNames</c> gives them: by value, as unsigned.</summary>
    private static string Enum(INamedTypeSymbol type)
    {
        var members = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue)
            .Select((f, i) => (f.Name, Value: Unsigned(f.ConstantValue!), Index: i))
            .OrderBy(m => m.Value).ThenBy(m => m.Index)
            .ToList();
        var name = Name(type);
        return $"new EnumShape(new string[] {{ {string.Join(", ", members.Select(m => SymbolDisplay.FormatLiteral(m.Name, quote: true)))} }}, "
            + $"new object[] {{ {string.Join(", ", members.Select(m => name + ".@" + m.Name))} }})";
    }

    private static ulong Unsigned(object value) => value is ulong u ? u : unchecked((ulong)Convert.ToInt64(value, CultureInfo.InvariantCulture));

    /// <summary>An attribute re-created from how it is written: constructor arguments and named properties.</summary>
    private string Recreate(AttributeData attribute)
    {
        var arguments = string.Join(", ", attribute.ConstructorArguments.Select(Literal));
        var named = attribute.NamedArguments.Select(a => $"{a.Key} = {Literal(a.Value)}").ToList();
        return $"new {Name(attribute.AttributeClass!)}({arguments})" + (named.Count == 0 ? "" : $" {{ {string.Join(", ", named)} }}");
    }

    private string Literal(TypedConstant constant)
    {
        if (constant.Kind == TypedConstantKind.Array)
        {
            return constant.IsNull
                ? $"default({Name(constant.Type!)})!"
                : $"new {Name(((IArrayTypeSymbol)constant.Type!).ElementType)}[] {{ {string.Join(", ", constant.Values.Select(Literal))} }}";
        }

        if (constant.IsNull)
            return $"default({Name(constant.Type!)})!";
        switch (constant.Kind)
        {
            case TypedConstantKind.Type:
                return $"typeof({Name((ITypeSymbol)constant.Value!)})";
            case TypedConstantKind.Enum:
                return $"({Name(constant.Type!)})({Number(constant.Value!)})";
            case TypedConstantKind.Primitive:
                return constant.Value switch
                {
                    string text => SymbolDisplay.FormatLiteral(text, quote: true),
                    char c => SymbolDisplay.FormatLiteral(c, quote: true),
                    bool flag => Bool(flag),
                    var number => $"({Name(constant.Type!)})({Number(number!)})",
                };
            default:
                _errors.Add($"The manifest loader cannot re-create an attribute argument of {constant.Type}.");
                return "default!";
        }
    }

    private static string Number(object value) => value switch
    {
        double d when double.IsNaN(d) => "double.NaN",
        double d when double.IsInfinity(d) => d > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity",
        float f when float.IsNaN(f) => "float.NaN",
        float f when float.IsInfinity(f) => f > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static string Bool(bool value) => value ? "true" : "false";

    private static bool Has(IPropertySymbol property, INamedTypeSymbol? attribute) =>
        attribute is not null && property.GetAttributes().Any(a => Derives(a.AttributeClass, attribute));

    private static bool Derives(INamedTypeSymbol? type, INamedTypeSymbol? ancestor)
    {
        for (; type is not null && ancestor is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, ancestor))
                return true;
        }

        return false;
    }

    /// <summary>System.Text.Json's camelCase policy, so names match what the serializer and the schema write.</summary>
    private static string CamelCase(string name)
    {
        if (name.Length == 0 || !char.IsUpper(name[0]))
            return name;
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
                break;
            var hasNext = i + 1 < chars.Length;
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                if (chars[i + 1] == ' ')
                    chars[i] = char.ToLowerInvariant(chars[i]);
                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }
}
