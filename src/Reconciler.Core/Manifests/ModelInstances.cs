using System.Collections;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Makes the model's lists and maps of one type as typed code does; the generated shapes name the type, so every
/// instantiation is known at compile time (precompiled, and nothing for Native AOT to make at run time).
/// </summary>
internal abstract class ModelInstances
{
    /// <summary>The type's default, boxed: null for a reference type or a nullable one.</summary>
    public abstract object? Default { get; }

    /// <summary>A list of the type (what System.Text.Json makes for a list-typed property).</summary>
    public abstract IList NewList(int capacity);

    /// <summary>An array of the type holding the list's items, for an array-typed property.</summary>
    public abstract Array ToArray(IList items);

    /// <summary>An empty dictionary from string to the type.</summary>
    public abstract IDictionary NewMap();
}

/// <summary>Lists and maps of <typeparamref name="T"/>.</summary>
internal sealed class ModelInstances<T> : ModelInstances
{
    public override object? Default => default(T);

    public override IList NewList(int capacity) => new List<T>(capacity);

    public override Array ToArray(IList items) => ((List<T>)items).ToArray();

    public override IDictionary NewMap() => new Dictionary<string, T>();
}
