using Reconciler.Core.Resources;

namespace Reconciler.Cli.Plumbing;

/// <summary>A token referenced by the manifests, resolved as their other secrets are (<paramref name="SecretsDirectory"/> resolved to a full path).</summary>
internal sealed record ManifestToken(SecretKeyRef Reference, string? SecretsDirectory);
