using System.ComponentModel.DataAnnotations;

namespace Reconciler.Core.Resources;

/// <summary>
/// A Go duration field's least value (and Go's longest): a resync or poll interval of 0s or 1ms would have the
/// operator list the platform or read its audit trail without pause. The CRD checks it with CEL's <c>duration()</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumDurationAttribute(string minimum) : ValidationAttribute
{
    public string Minimum { get; } = minimum;

    /// <summary>What is wrong with <paramref name="text"/>; null when it is long enough or is no duration at all (the pattern says so).</summary>
    public string? Problem(string text)
    {
        if (!GoDuration.IsWellFormed(text))
            return null;
        if (!GoDuration.TryParse(text, out var value))
            return $"{text} is longer than a Go duration can be (2562047h)";
        return GoDuration.TryParse(Minimum, out var least) && value < least ? $"{text} is shorter than {Minimum}, the least allowed" : null;
    }

    public override bool IsValid(object? value) => value is not string text || Problem(text) is null;
}
