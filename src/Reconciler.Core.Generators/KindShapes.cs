namespace Reconciler.Core.Generators;

/// <summary>
/// What one resource type contributes to the generated file, as text so the pipeline can compare it between runs:
/// its entry method and the members (shape builders, accessors) it reaches, keyed so shared ones are written once.
/// </summary>
internal sealed record KindShapes(string ResourceType, string Entry, EquatableArray<GeneratedMember> Members, EquatableArray<string> Errors);

/// <summary>A member of the generated class; <see cref="Key"/> is its name.</summary>
internal sealed record GeneratedMember(string Key, string Source);
