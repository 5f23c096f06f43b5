using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;
using Reconciler.Core.Validation.Rules;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Runtime;
using Reconciler.Operator.Kinds;

namespace Reconciler.Operator.Controllers;

/// <summary>
/// The structural and semantic rules over a namespace's resources (as over a folder in the CLI, so that e.g. a
/// duplicate agent e-mail is caught), computed once per set of specs and shared by every reconcile of the namespace.
/// Loading and checking all N manifests in each of the N reconciles of a sync made it quadratic: the example
/// organisation spent most of its sync re-validating. Each object is checked and typed once per generation; a
/// changed spec re-checks that object only, then the set's rules run over the typed resources.
/// </summary>
public sealed class NamespaceValidation(IReadOnlyDictionary<string, ResourceCache<CustomResource>> caches)
{
    /// <summary>Rules that judge one resource within its namespace; references are judged by the planner, as ReferenceNotFound.</summary>
    private static readonly IReadOnlyList<IValidationRule> Rules = [.. ManifestValidator.Rules.Where(r => r is not ReferenceRule)];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Validated> _byNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Parsed> _byObject = new(StringComparer.Ordinal);

    /// <summary>The typed resource, or the first error of the rules that concerns it.</summary>
    public (Resource? Resource, string? Error) Load(string kind, CustomResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var ns = resource.Metadata.Namespace ?? "";
        var file = OperatorKinds.FileOf(kind, resource.Metadata.Namespace, resource.Metadata.Name!);

        // No spec changed in any cache since the set was validated: the set holds. Listing and fingerprinting every
        // object on each reconcile made a 10,000-resource sync quadratic again.
        var versions = SpecVersions();
        var validated = Get(ns, versions, file, Version(resource)) ?? LoadAll(kind, resource, ns, versions);
        if (validated.FirstErrorByFile.GetValueOrDefault(file) is { } error)
            return (null, $"{error.Path}: {error.Message}");
        return (validated.ByFile[file], null);
    }

    private Validated LoadAll(string kind, CustomResource resource, string ns, string versions)
    {
        var members = new List<(string Kind, CustomResource Object)> { (kind, resource) };
        foreach (var (otherKind, cache) in caches)
        {
            foreach (var other in cache.List(ns))
            {
                if (!(otherKind == kind && other.Metadata.Name == resource.Metadata.Name) && !other.IsBeingDeleted())
                    members.Add((otherKind, other));
            }
        }

        // generation changes exactly when a spec does (status writes and finalizers leave it), uid when a name is reused.
        var fingerprint = string.Join('\n', members.Select(m => $"{m.Kind}/{m.Object.Metadata.Name}/{m.Object.Metadata.Uid}/{m.Object.Metadata.Generation}").Order(StringComparer.Ordinal));
        var validated = Get(ns, fingerprint) ?? Validate(ns, fingerprint, members);
        validated = validated with { SpecVersions = versions };
        lock (_gate)
            _byNamespace[ns] = validated;
        return validated;
    }

    private string SpecVersions() => string.Join(',', caches.Values.Select(c => c.SpecVersion));

    private static string Version(CustomResource resource) => $"{resource.Metadata.Uid}/{resource.Metadata.Generation}";

    private Validated? Get(string ns, string versions, string file, string version)
    {
        lock (_gate)
        {
            return _byNamespace.GetValueOrDefault(ns) is { } cached && cached.SpecVersions == versions && cached.VersionByFile.GetValueOrDefault(file) == version
                ? cached
                : null;
        }
    }

    private Validated? Get(string ns, string fingerprint)
    {
        lock (_gate)
            return _byNamespace.GetValueOrDefault(ns) is { } cached && cached.Fingerprint == fingerprint ? cached : null;
    }

    private Validated Validate(string ns, string fingerprint, List<(string Kind, CustomResource Object)> members)
    {
        var set = ManifestLoader.Assemble([.. members.Select(m => ParseOnce(m.Kind, m.Object))]);
        var context = new ValidationContext(set);
        var errors = new Dictionary<string, Diagnostic>(StringComparer.Ordinal);
        foreach (var diagnostic in set.Diagnostics.Concat(Rules.SelectMany(r => r.Check(context))).Where(d => d.IsError))
            errors.TryAdd(diagnostic.File, diagnostic);
        var byFile = set.Resources.ToDictionary(r => OperatorKinds.FileOf(r.Kind, ns, r.Metadata.Name), StringComparer.Ordinal);
        var versionByFile = members.ToDictionary(m => FileOf(m.Kind, m.Object), m => Version(m.Object), StringComparer.Ordinal);
        var validated = new Validated(fingerprint, set, errors, byFile, versionByFile, "");
        lock (_gate)
        {
            _byNamespace[ns] = validated;
            var current = members.Select(m => FileOf(m.Kind, m.Object)).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _byObject.Keys.Where(f => f.StartsWith(ns + "/", StringComparison.Ordinal) && !current.Contains(f)).ToList())
                _byObject.Remove(gone);
        }

        return validated;
    }

    /// <summary>The object checked and typed, from the cache while its uid and generation (its spec) are unchanged.</summary>
    private ParsedManifest ParseOnce(string kind, CustomResource resource)
    {
        var file = FileOf(kind, resource);
        var version = $"{resource.Metadata.Uid}/{resource.Metadata.Generation}";
        lock (_gate)
        {
            if (_byObject.GetValueOrDefault(file) is { } cached && cached.Version == version)
                return cached.Manifest;
        }

        var parsed = OperatorKinds.Parse(kind, resource);
        lock (_gate)
            _byObject[file] = new Parsed(version, parsed);
        return parsed;
    }

    private static string FileOf(string kind, CustomResource resource) => OperatorKinds.FileOf(kind, resource.Metadata.Namespace, resource.Metadata.Name!);

    private sealed record Parsed(string Version, ParsedManifest Manifest);

    private sealed record Validated(
        string Fingerprint,
        ManifestSet Set,
        IReadOnlyDictionary<string, Diagnostic> FirstErrorByFile,
        IReadOnlyDictionary<string, Resource> ByFile,
        IReadOnlyDictionary<string, string> VersionByFile,
        string SpecVersions);
}
