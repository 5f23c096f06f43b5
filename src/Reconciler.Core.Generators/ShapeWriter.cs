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
/// <c>[JsonIgnore]</c>d, in metadata order, camelCase, with required-ness, secret references and validation attributes.
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
        return new KindShapes(Name(resourceType), entry, new([.. _members]), new([.. _errors]));
    }

    private INamedTypeSymbol? Type(string metadataName) => _compilation.GetTypeByMetadataName(metadataName);

    private static string Name(ITypeSymbol type) => type.ToDisplayString(Qualified);

    private static string Id(ITypeSymbol type)
    {
        var id = new StringBuilder();
        foreach (var c in type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat))
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
        var fields = Properties(type).Select(Field).ToList();
        var source = new StringBuilder()
            .Append("    private static ObjectShape ").Append(method).AppendLine("() => new(")
            .Append("        typeof(").Append(name).AppendLine("),")
            .Append("        static () => New_").Append(Id(type)).AppendLine("(),")
            .AppendLine("        new ComparisonShape[]")
            .AppendLine("        {");
        foreach (var field in fields)
            source.Append("            ").Append(field).AppendLine(",");
        source.AppendLine("        });")
            .AppendLine()
            .AppendLine("    // The parameterless constructor as Activator called it: the model's defaults, required members left to the loader.")
            .AppendLine("    [global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Constructor)]")
            .Append("    private static extern ").Append(name).Append(" New_").Append(Id(type)).AppendLine("();");
        _members.Add(new GeneratedMember(method, source.ToString()));
        return method;
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
            .Select(Constraint);
        return $"new(\"{CamelCase(property.Name)}\", {Shape(property.Type)}, {Bool(required)}, {Bool(Has(property, _secretReference))}, "
            + $"new global::System.ComponentModel.DataAnnotations.ValidationAttribute[] {{ {string.Join(", ", constraints)} }}, "
            + $"static (target, value) => {Setter(property)}(({Name(property.ContainingType)})target, ({Name(property.Type)})value))";
    }

    /// <summary>The property's setter (init-only ones included, which C# calls only in initializers) as an accessor.</summary>
    private string Setter(IPropertySymbol property)
    {
        var declaring = property.ContainingType;
        if (declaring.IsGenericType)
            return GenericSetters(declaring.OriginalDefinition) + "<" + string.Join(", ", declaring.TypeArguments.Select(Name)) + ">.Set_" + property.Name;
        var method = "Set_" + Id(declaring) + "_" + property.Name;
        if (_written.Add(method))
            _members.Add(new GeneratedMember(method, SetterAccessor("    private", method, declaring, property)));
        return method;
    }

    /// <summary>
    /// The setters of a generic type's properties, in a class with the type's parameters: an accessor finds a method of a
    /// generic type only through its type parameters, not through a constructed type.
    /// </summary>
    private string GenericSetters(INamedTypeSymbol definition)
    {
        var holder = "Setters_" + Id(definition.ConstructUnboundGenericType()).TrimEnd('_');
        if (!_written.Add(holder))
            return holder;
        var source = new StringBuilder()
            .Append("    private static class ").Append(holder).Append('<').Append(string.Join(", ", definition.TypeParameters.Select(t => t.Name))).AppendLine(">");
        foreach (var parameter in definition.TypeParameters)
        {
            if (Constraints(parameter) is { Count: > 0 } constraints)
                source.Append("        where ").Append(parameter.Name).Append(" : ").AppendLine(string.Join(", ", constraints));
        }

        source.AppendLine("    {");
        var first = true;
        foreach (var property in definition.GetMembers().OfType<IPropertySymbol>())
        {
            if (property.IsStatic || property.SetMethod is not { DeclaredAccessibility: Accessibility.Public } || Has(property, _jsonIgnore))
                continue;
            if (!first)
                source.AppendLine();
            first = false;
            source.Append(SetterAccessor("        public", "Set_" + property.Name, definition, property));
        }

        source.AppendLine("    }");
        _members.Add(new GeneratedMember(holder, source.ToString()));
        return holder;
    }

    private static string SetterAccessor(string indentedAccess, string method, INamedTypeSymbol declaring, IPropertySymbol property) =>
        new StringBuilder()
            .Append(indentedAccess.Substring(0, indentedAccess.Length - indentedAccess.TrimStart().Length))
            .Append("[global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Method, Name = \"")
            .Append(property.SetMethod!.MetadataName).AppendLine("\")]")
            .Append(indentedAccess).Append(" static extern void ").Append(method).Append('(').Append(Name(declaring)).Append(" target, ")
            .Append(Name(property.Type)).AppendLine(" value);")
            .ToString();

    private static List<string> Constraints(ITypeParameterSymbol parameter)
    {
        var constraints = new List<string>();
        if (parameter.HasReferenceTypeConstraint)
            constraints.Add("class");
        if (parameter.HasUnmanagedTypeConstraint)
            constraints.Add("unmanaged");
        else if (parameter.HasValueTypeConstraint)
            constraints.Add("struct");
        if (parameter.HasNotNullConstraint)
            constraints.Add("notnull");
        constraints.AddRange(parameter.ConstraintTypes.Select(Name));
        if (parameter.HasConstructorConstraint)
            constraints.Add("new()");
        return constraints;
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

    /// <summary>A validation attribute re-created from how it is written: constructor arguments and named properties.</summary>
    private string Constraint(AttributeData attribute)
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
