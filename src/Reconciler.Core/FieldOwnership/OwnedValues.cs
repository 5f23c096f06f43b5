using System.Text.Json.Nodes;
using Reconciler.Core.Platform;

namespace Reconciler.Core.FieldOwnership;

/// <summary>Puts the platform's values of owned fields into what Reconciler would write, so they are neither changed nor compared.</summary>
public static class OwnedValues
{
    /// <summary>
    /// A copy of <paramref name="wanted"/> whose owned fields are the observed object's; <paramref name="wanted"/> itself
    /// when nothing exists yet (a create writes the manifest's) or no field is owned.
    /// </summary>
    public static JsonObject Overlay(JsonObject wanted, PlatformObject? observed, IReadOnlyList<OwnedField> owned)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(owned);
        if (observed is null || owned.Count == 0)
            return wanted;
        var result = (JsonObject)wanted.DeepClone();
        foreach (var field in owned)
            result[field.Path] = observed.Fields[field.Path]?.DeepClone();
        return result;
    }
}
