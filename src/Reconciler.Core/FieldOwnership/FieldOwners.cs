using System.Collections.Frozen;
using Reconciler.Core.Mapping;
using Reconciler.Core.Engine;
using Reconciler.Core.Resources;

namespace Reconciler.Core.FieldOwnership;

/// <summary>One field another system owns: its wire path, the manifest path people write, and the owner (scim).</summary>
public sealed record OwnedField(string Path, string ManifestPath, string Owner);

/// <summary>
/// Which fields of which kinds another system owns (a PlatformConnection's <c>fieldOwners</c>, a resource's
/// <see cref="Annotation"/>): Reconciler never writes them to an existing object and never reports them as drift.
/// Names are <c>Kind.field</c> with the manifest's field path under spec (<c>Agent.email</c>, <c>Agent.displayName</c>).
/// </summary>
public sealed class FieldOwners
{
    /// <summary>Per resource, replaces the connection's owners for it: <c>scim=Agent.email,Agent.active;hr=Agent.mobile</c>; empty means none.</summary>
    public const string Annotation = "support.reconciler.dev/field-owners";

    public static readonly FieldOwners None = new(new Dictionary<string, IReadOnlyList<OwnedField>>());

    // Per platform kind, the manifest path of each of its rules, in rule order: the only fields a name can resolve to.
    private static readonly FrozenDictionary<string, string[]> OwnableByKind = KindMappers.InDependencyOrder.ToFrozenDictionary(
        c => c.Kind, c => c.Rules.Select(r => ManifestPaths.Of(c.Rules, r.Name)).ToArray(), StringComparer.Ordinal);

    private readonly IReadOnlyDictionary<string, IReadOnlyList<OwnedField>> _byKind;

    private FieldOwners(IReadOnlyDictionary<string, IReadOnlyList<OwnedField>> byKind) => _byKind = byKind;

    /// <summary>The owners of a PlatformConnection's <c>fieldOwners</c>, and a message per name that is not a field of a platform kind.</summary>
    public static (FieldOwners Owners, IReadOnlyList<string> Errors) Parse(IReadOnlyDictionary<string, IReadOnlyList<string>>? owners)
    {
        var errors = new List<string>();
        var byKind = new Dictionary<string, List<OwnedField>>(StringComparer.Ordinal);
        foreach (var (owner, names) in owners ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            foreach (var name in names)
            {
                if (Resolve(owner, name, out var kind, out var error) is not { } field)
                {
                    errors.Add(error!);
                    continue;
                }

                var list = byKind.TryGetValue(kind!, out var existing) ? existing : byKind[kind!] = [];
                var taken = list.FirstOrDefault(f => f.Path == field.Path);
                if (taken is null)
                    list.Add(field);
                else if (taken.Owner != owner)
                    errors.Add($"{name} is owned by both {taken.Owner} and {owner}");
            }
        }

        return (new FieldOwners(byKind.ToDictionary(p => p.Key, p => (IReadOnlyList<OwnedField>)p.Value, StringComparer.Ordinal)), errors);
    }

    /// <summary>The annotation's owners, in the connection's shape: <c>owner=Kind.field,Kind.field;owner=…</c>.</summary>
    public static (FieldOwners Owners, IReadOnlyList<string> Errors) ParseAnnotation(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var owners = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (owner, fields) = part.IndexOf('=', StringComparison.Ordinal) is var at and > 0 ? (part[..at].Trim(), part[(at + 1)..]) : ("", "");
            if (owner.Length == 0)
            {
                errors.Add($"\"{part}\" is not owner=Kind.field,Kind.field (e.g. scim=Agent.email,Agent.displayName)");
                continue;
            }

            owners[owner] = [.. fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        var (parsed, more) = Parse(owners);
        return (parsed, [.. errors, .. more]);
    }

    /// <summary>The fields of this resource that others own: its annotation's if it has one, else the connection's.</summary>
    public IReadOnlyList<OwnedField> For(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var owners = resource.Metadata.Annotations?.GetValueOrDefault(Annotation) is { } annotation ? ParseAnnotation(annotation).Owners : this;
        return owners._byKind.GetValueOrDefault(resource.Kind) ?? [];
    }

    /// <summary>
    /// The manifest paths of the fields of <paramref name="kind"/> that others can own, in the order of its rules; none
    /// for a kind that is not a platform object. The loader notes which of them each document wrote.
    /// </summary>
    public static IReadOnlyList<string> Ownable(string kind) => OwnableByKind.GetValueOrDefault(kind) ?? [];

    private static OwnedField? Resolve(string owner, string name, out string? kind, out string? error)
    {
        kind = null;
        error = null;
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var controller = dot > 0 ? KindMappers.InDependencyOrder.FirstOrDefault(c => c.Kind == name[..dot]) : null;
        if (controller is null)
        {
            error = $"{owner}: \"{name}\" does not name a field of a platform kind as Kind.field (e.g. Agent.email; kinds: {string.Join(", ", KindMappers.InDependencyOrder.Select(c => c.Kind))})";
            return null;
        }

        var manifestPath = "spec." + name[(dot + 1)..];
        var ownable = OwnableByKind[controller.Kind];
        var index = Array.IndexOf(ownable, manifestPath);
        if (index < 0)
        {
            error = $"{owner}: {controller.Kind} has no field \"{name[(dot + 1)..]}\" (fields: {string.Join(", ", ownable.Select(p => p["spec.".Length..]))})";
            return null;
        }

        kind = controller.Kind;
        return new OwnedField(controller.Rules[index].Name, manifestPath, owner);
    }
}
