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

    /// <summary>
    /// The stored object with what the platform counts when it is read rather than stores (the organisation's seats in
    /// use); <paramref name="countWhereTrue"/> counts the objects of a collection whose boolean field is true.
    /// </summary>
    Task<WireObject> WithCountsAsync(WireObject stored, Func<string, string, Task<int>> countWhereTrue);

    bool IsBuiltIn(WireObject stored);

    WireObject Deserialize(string json);

    JsonObject ToNode(WireObject stored);

    /// <summary>Routes the collection has beyond the generic ones (a channel's connection report).</summary>
    void MapExtraRoutes(RouteGroupBuilder api);
}

/// <summary>
/// Typed base of the collection handlers: the collection, its id prefix, the natural key and the contract's wire rules
/// (<see cref="WireRules"/>) are given to the constructor; a handler overrides only what its collection adds.
/// </summary>
internal abstract class ResourceHandler<T>(string collection, string idPrefix, Func<T, string> key, Func<T, IReadOnlyList<Violation>> rules) : IResourceHandler
    where T : WireObject
{
    public string Collection => collection;

    public string IdPrefix => idPrefix;

    public Type DtoType => typeof(T);

    public bool IsSingleton => AdminApi.Collections.Singletons.Contains(Collection);

    public string SingletonId => $"{IdPrefix}_{Collection}";

    public IReadOnlySet<string> WriteOnly { get; } = WriteOnlyFields.Of(typeof(T));

    public bool HasSecrets => WriteOnly.Count > 0;

    public WireObject? Parse(ReadOnlySpan<byte> body, ValidationErrors errors) => RequestBody.Parse<T>(body, errors);

    public string KeyOf(WireObject dto) => key((T)dto);

    public void Validate(WireObject dto, WireObject? existing, ValidationErrors errors)
    {
        foreach (var violation in rules((T)dto).Concat(CatalogRules((T)dto)))
            errors.Add(violation.Path, violation.Expected);
        Validate((T)dto, (T?)existing, errors);
    }

    public IEnumerable<Reference> References(WireObject dto) => References((T)dto);

    public WireObject Prepare(WireObject incoming, WireObject? existing, DateTimeOffset now) => Prepare((T)incoming, (T?)existing, now);

    public WireObject Present(WireObject stored)
    {
        var presented = Present((T)stored);
        if (!HasSecrets)
            return presented;
        var node = ToNode(presented);
        foreach (var path in WriteOnly)
        {
            var segments = path.Split('.');
            JsonObject? parent = node;
            foreach (var segment in segments[..^1])
                parent = parent?[segment] as JsonObject;
            parent?.Remove(segments[^1]);
        }

        return node.Deserialize(WireJson.TypeInfo<T>())!;
    }

    public async Task<WireObject> WithCountsAsync(WireObject stored, Func<string, string, Task<int>> countWhereTrue) => await WithCountsAsync((T)stored, countWhereTrue);

    public bool IsBuiltIn(WireObject stored) => IsBuiltIn((T)stored);

    public WireObject Deserialize(string json) => JsonSerializer.Deserialize(json, WireJson.TypeInfo<T>())!;

    public JsonObject ToNode(WireObject stored) => JsonSerializer.SerializeToNode((T)stored, WireJson.TypeInfo<T>())!.AsObject();

    public virtual void MapExtraRoutes(RouteGroupBuilder api)
    {
    }

    /// <summary>The contract's rules that need one of the platform's catalogs (permissions, placeholders).</summary>
    protected virtual IReadOnlyList<Violation> CatalogRules(T dto) => [];

    /// <summary>What only the platform can check against stored state (a write-only secret already stored, self-references).</summary>
    protected virtual void Validate(T dto, T? existing, ValidationErrors errors)
    {
    }

    protected virtual IEnumerable<Reference> References(T dto) => [];

    protected virtual T Prepare(T incoming, T? existing, DateTimeOffset now) => incoming;

    /// <summary>What a read shows beyond the stored document (defaults the platform fills in); write-only fields are stripped afterwards.</summary>
    protected virtual T Present(T stored) => stored;

    protected virtual Task<T> WithCountsAsync(T stored, Func<string, string, Task<int>> countWhereTrue) => Task.FromResult(stored);

    protected virtual bool IsBuiltIn(T stored) => false;

    protected static IEnumerable<Reference> Ref(string field, string collection, string? id) =>
        string.IsNullOrEmpty(id) ? [] : [new Reference(field, collection, id)];

    /// <summary>The references of a list field, each at its index (<c>businessUnitIds[1]</c>).</summary>
    protected static IEnumerable<Reference> Refs(string field, string collection, IEnumerable<string> ids) =>
        ids.SelectMany((id, i) => Ref($"{field}[{i}]", collection, id));
}
