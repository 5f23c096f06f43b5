using System.Text.Json;
using System.Text.Json.Nodes;
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
}

/// <summary>Typed base of the collection handlers.</summary>
internal abstract class ResourceHandler<T> : IResourceHandler
    where T : WireObject
{
    public abstract string Collection { get; }

    public abstract string IdPrefix { get; }

    public Type DtoType => typeof(T);

    public virtual bool HasSecrets => false;

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

    public WireObject Present(WireObject stored) => Present((T)stored);

    public async Task<WireObject> WithCountsAsync(WireObject stored, Func<string, string, Task<int>> countWhereTrue) => await WithCountsAsync((T)stored, countWhereTrue);

    public bool IsBuiltIn(WireObject stored) => IsBuiltIn((T)stored);

    public WireObject Deserialize(string json) => JsonSerializer.Deserialize<T>(json, WireJson.Options)!;

    public JsonObject ToNode(WireObject stored) => JsonSerializer.SerializeToNode((T)stored, WireJson.Options)!.AsObject();

    protected abstract string Key(T dto);

    /// <summary>The contract's wire rules of this collection (<see cref="WireRules"/>).</summary>
    protected abstract IReadOnlyList<Violation> Rules(T dto);

    /// <summary>What only the platform can check: stored state and the permission catalog.</summary>
    protected virtual void Validate(T dto, T? existing, ValidationErrors errors)
    {
    }

    protected virtual IEnumerable<Reference> References(T dto) => [];

    protected virtual T Prepare(T incoming, T? existing, DateTimeOffset now) => incoming;

    protected virtual T Present(T stored) => stored;

    protected virtual Task<T> WithCountsAsync(T stored, Func<string, string, Task<int>> countWhereTrue) => Task.FromResult(stored);

    protected virtual bool IsBuiltIn(T stored) => false;

    protected static IEnumerable<Reference> Ref(string field, string collection, string? id) =>
        string.IsNullOrEmpty(id) ? [] : [new Reference(field, collection, id)];
}
