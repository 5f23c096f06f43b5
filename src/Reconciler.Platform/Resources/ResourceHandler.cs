using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Validation;

namespace Reconciler.Platform.Resources;

/// <summary>A reference from a field of one object to an object of another collection, e.g. <c>roleId</c> → roles.</summary>
internal sealed record Reference(string Field, string Collection, string TargetId);

/// <summary>What the generic create/replace/delete pipeline needs to know about one collection.</summary>
internal interface IResourceHandler
{
    string Collection { get; }

    string IdPrefix { get; }

    Type DtoType { get; }

    /// <summary>At most one object, under <see cref="SingletonId"/>: it always exists and is only read and replaced.</summary>
    bool IsSingleton { get; }

    /// <summary>The id of the singleton's one object.</summary>
    string SingletonId { get; }

    /// <summary>The JSON paths of the DTO's write-only fields, which <see cref="Present"/> strips and the audit trail masks.</summary>
    IReadOnlySet<string> WriteOnly { get; }

    /// <summary>Whether stored documents hold write-only fields that <see cref="Present"/> must strip.</summary>
    bool HasSecrets { get; }

    WireObject? Parse(ReadOnlySpan<byte> body, ValidationErrors errors);

    string KeyOf(WireObject dto);

    void Validate(WireObject dto, WireObject? existing, ValidationErrors errors);

    IEnumerable<Reference> References(WireObject dto);

    /// <summary>Sets the server-maintained fields of this collection (presence, secrets metadata, built-in flags).</summary>
    WireObject Prepare(WireObject incoming, WireObject? existing, DateTimeOffset now);

    WireObject Present(WireObject stored);

    bool IsBuiltIn(WireObject stored);

    WireObject Deserialize(string json);

    JsonObject ToNode(WireObject stored);

    /// <summary>Routes the collection has beyond the generic ones (a channel's connection report).</summary>
    void MapExtraRoutes(RouteGroupBuilder api);
}

/// <summary>Typed base of the collection handlers.</summary>
internal abstract class ResourceHandler<T> : IResourceHandler
    where T : WireObject
{
    public abstract string Collection { get; }

    public abstract string IdPrefix { get; }

    public Type DtoType => typeof(T);

    public bool IsSingleton => AdminApi.Collections.Singletons.Contains(Collection);

    public string SingletonId => $"{IdPrefix}_{Collection}";

    public IReadOnlySet<string> WriteOnly { get; } = WriteOnlyFields.Of(typeof(T));

    public bool HasSecrets => WriteOnly.Count > 0;

    public WireObject? Parse(ReadOnlySpan<byte> body, ValidationErrors errors) => RequestBody.Parse<T>(body, errors);

    public string KeyOf(WireObject dto) => Key((T)dto);

    public void Validate(WireObject dto, WireObject? existing, ValidationErrors errors)
    {
        foreach (var violation in Rules((T)dto))
            errors.Add(violation.Path, violation.Expected);
        Validate((T)dto, (T?)existing, errors);
    }

    public IEnumerable<Reference> References(WireObject dto) => References((T)dto);

    public WireObject Prepare(WireObject incoming, WireObject? existing, DateTimeOffset now) => Prepare((T)incoming, (T?)existing, now);

    public WireObject Present(WireObject stored)
    {
        if (!HasSecrets)
            return stored;
        var node = ToNode(stored);
        foreach (var path in WriteOnly)
        {
            var segments = path.Split('.');
            JsonObject? parent = node;
            foreach (var segment in segments[..^1])
                parent = parent?[segment] as JsonObject;
            parent?.Remove(segments[^1]);
        }

        return node.Deserialize<T>(WireJson.Options)!;
    }

    public bool IsBuiltIn(WireObject stored) => IsBuiltIn((T)stored);

    public WireObject Deserialize(string json) => JsonSerializer.Deserialize<T>(json, WireJson.Options)!;

    public JsonObject ToNode(WireObject stored) => JsonSerializer.SerializeToNode((T)stored, WireJson.Options)!.AsObject();

    public virtual void MapExtraRoutes(RouteGroupBuilder api)
    {
    }

    protected abstract string Key(T dto);

    /// <summary>The contract's wire rules of this collection (<see cref="WireRules"/>).</summary>
    protected abstract IReadOnlyList<Violation> Rules(T dto);

    /// <summary>What only the platform can check: stored state and the permission catalog.</summary>
    protected virtual void Validate(T dto, T? existing, ValidationErrors errors)
    {
    }

    protected virtual IEnumerable<Reference> References(T dto) => [];

    protected virtual T Prepare(T incoming, T? existing, DateTimeOffset now) => incoming;

    protected virtual bool IsBuiltIn(T stored) => false;

    protected static IEnumerable<Reference> Ref(string field, string collection, string? id) =>
        string.IsNullOrEmpty(id) ? [] : [new Reference(field, collection, id)];
}
