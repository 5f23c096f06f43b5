namespace Reconciler.Core.Manifests;

/// <summary>
/// What a scalar's explicit tag (<c>!!int "4"</c>) means to the checker, kept instead of the tag's text: only YamlDotNet's
/// reader sees tags, and a string per scalar cost every scalar of every file 8 bytes.
/// </summary>
internal enum ScalarTag : byte
{
    /// <summary>No tag: the scalar resolves by its style and text.</summary>
    None,
    Null,
    Boolean,
    Integer,
    Float,

    /// <summary>The literal tag <c>!!bool</c> (not expanded to the core schema's): a string, yet accepted where a boolean is expected.</summary>
    ShorthandBoolean,

    /// <summary><c>!!binary</c>: base64 that go-yaml (kubectl, kustomize, Argo CD, Flux) decodes before sending, where other readers keep the text.</summary>
    Binary,

    /// <summary>Any other tag, the non-specific <c>!</c> included: a string.</summary>
    Other,
}
