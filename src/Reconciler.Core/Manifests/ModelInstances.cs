using System.Collections;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Makes the model's objects, lists and maps of one type as typed code does; reflection's constructor invoker stayed on
/// its interpreted path, a cost paid once per object, list and map of every document.
/// </summary>
internal abstract class ModelInstances
{
    /// <summary>A new instance of the type through its parameterless constructor, with the model's defaults.</summary>
    public abstract object New();

    /// <summary>A list of the type (what System.Text.Json makes for a list-typed property).</summary>
    public abstract IList NewList(int capacity);

    /// <summary>An array of the type holding the list's items, for an array-typed property.</summary>
    public abstract Array ToArray(IList items);

    /// <summary>An empty dictionary from string to the type.</summary>
    public abstract IDictionary NewMap();

    public static ModelInstances Of(Type type) =>
        (ModelInstances)Activator.CreateInstance(typeof(ModelInstances<>).MakeGenericType(type))!;
}

/// <summary>Instances, lists and maps of <typeparamref name="T"/>.</summary>
internal sealed class ModelInstances<T> : ModelInstances
{
    public override object New() => Activator.CreateInstance<T>()!;

    public override IList NewList(int capacity) => new List<T>(capacity);

    public override Array ToArray(IList items) => ((List<T>)items).ToArray();

    public override IDictionary NewMap() => new Dictionary<string, T>();
}
