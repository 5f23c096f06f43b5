namespace Reconciler.Core.Generators;

/// <summary>
/// What one resource type contributes to the generated files, as text so the pipeline can compare it between runs:
/// its entry method and the members (shape builders) it reaches, keyed so shared ones are written once, and the
/// expression of what its attributes and spec and status properties say (<c>ResourceTypeFacts</c>).
/// </summary>
internal sealed record KindShapes(string ResourceType, string Entry, EquatableArray<GeneratedMember> Members, string Facts, EquatableArray<string> Errors);

/// <summary>A member of the generated class; <see cref="Key"/> is its name.</summary>
internal sealed record GeneratedMember(string Key, string Source);
