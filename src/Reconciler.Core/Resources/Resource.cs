using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace Reconciler.Core.Resources;

/// <summary>Any resource of the model, independent of its kind.</summary>
public abstract record Resource
{
    public const string Group = "support.reconciler.dev";
    public const string Version = "v1alpha1";
    public const string GroupVersion = Group + "/" + Version;

    private static readonly ConcurrentDictionary<Type, string> KindsByType = new();

    public string ApiVersion { get; init; } = GroupVersion;

    // Looked up once per type: the planner and validator ask for it per resource, and the lookup allocates.
    public string Kind => KindsByType.GetOrAdd(GetType(), static type => ResourceTypes.Of(type)!.Kind.Kind);

    public required ObjectMeta Metadata { get; init; }

    /// <summary>Where the resource was read from, for error messages; not part of the manifest.</summary>
    [JsonIgnore]
    public SourceSpan? Source { get; init; }

    /// <summary>The spec as an object, for code that handles every kind alike.</summary>
    [JsonIgnore]
    public abstract object SpecObject { get; }

    /// <summary><c>Kind/name</c>, the resource's identity within a set.</summary>
    [JsonIgnore]
    public ResourceId Id => new(Kind, Metadata.Name);
}

/// <summary>A resource with a typed spec and status.</summary>
public abstract record Resource<TSpec, TStatus> : Resource
    where TSpec : class
    where TStatus : ResourceStatus
{
    public required TSpec Spec { get; init; }

    public TStatus? Status { get; init; }

    public override object SpecObject => Spec;
}

/// <summary>Identity of a resource within a set: its kind and <c>metadata.name</c>.</summary>
public readonly record struct ResourceId(string Kind, string Name)
{
    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>A position in a source file (1-based line and column).</summary>
public sealed record SourceSpan(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";

    /// <summary>
    /// The span with its file relative to <paramref name="directory"/> (with forward slashes), as every plan format names
    /// files, so that a plan reads the same from every checkout; itself without a directory or for a relative file.
    /// </summary>
    public SourceSpan RelativeTo(string? directory) =>
        directory is null || !Path.IsPathRooted(File) ? this : this with { File = Path.GetRelativePath(directory, File).Replace('\\', '/') };
}
