using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Engine;

/// <summary>Plans and applies manifests (YAML text) against a <see cref="FakePlatform"/>.</summary>
internal sealed class EngineHarness
{
    public const string Canary = "CANARY-7f3a-do-not-leak";

    public FakePlatform Platform { get; } = new();

    public InMemoryPendingCreateStore Pending { get; } = new();

    public Dictionary<string, string> SecretValues { get; } = new() { ["sso-okta/clientSecret"] = Canary };

    public static IReadOnlyList<Resource> Load(string yaml)
    {
        var set = ManifestLoader.LoadYaml(yaml);
        set.Diagnostics.Where(d => d.IsError).Should().BeEmpty();
        return set.Resources;
    }

    public async Task<PlannedRun> PlanAsync(string yaml, PlanOptions? options = null) => await PlanAsync(Load(yaml), options);

    public async Task<PlannedRun> PlanAsync(IReadOnlyList<Resource> resources, PlanOptions? options = null)
    {
        var result = await new ReconcileEngine(Platform, new DictionarySecrets(SecretValues)).PlanAsync(resources, options ?? new PlanOptions(), CancellationToken.None);
        result.IsOk.Should().BeTrue(result.Message);
        return result.Value!;
    }

    public Task<ApplyResult> ApplyAsync(PlannedRun run, CancellationToken cancellationToken = default, int parallelism = 4, IPendingCreateStore? pending = null, IProgress<ResourceResult>? progress = null, IReadOnlyDictionary<string, string>? reserved = null) =>
        new ReconcileEngine(Platform, new DictionarySecrets(SecretValues))
            .ApplyAsync(run, pending ?? Pending, ChangeReasons.FromManifests("abc1234"), parallelism, progress, cancellationToken, reserved: reserved);

    public async Task<ApplyResult> ApplyAsync(string yaml, PlanOptions? options = null) => await ApplyAsync(await PlanAsync(yaml, options));

    private sealed class DictionarySecrets(Dictionary<string, string> values) : ISecretResolver
    {
        public ValueTask<SecretLookup> ResolveAsync(SecretKeyRef reference, CancellationToken cancellationToken) =>
            ValueTask.FromResult(values.TryGetValue(reference.ToString(), out var value)
                ? SecretLookup.Found(value)
                : SecretLookup.Missing($"secret {reference} not set"));
    }
}

/// <summary>Small manifests the engine tests share.</summary>
internal static class Manifests
{
    public const string Head = "apiVersion: support.reconciler.dev/v1alpha1\n";

    public static string Role(string name, params string[] permissions) =>
        $"{Head}kind: Role\nmetadata: {{name: {name}}}\nspec:\n  displayName: {name}\n  permissions: [{string.Join(", ", permissions)}]\n---\n";

    public static string Agent(string name, string role = "agent", string? supervisor = null, string languages = "en, de", string? email = null) =>
        $"{Head}kind: Agent\nmetadata: {{name: {name}}}\nspec:\n  email: {email ?? name + "@acme.example"}\n  displayName: {name}\n  roleRef: {{name: {role}}}\n"
        + (supervisor is null ? "" : $"  supervisorRef: {{name: {supervisor}}}\n")
        + $"  languages: [{languages}]\n  capabilities: [Chat, Live]\n---\n";

    public static string Okta(string secretName = "sso-okta") =>
        $"{Head}kind: SsoProvider\nmetadata: {{name: okta}}\nspec:\n  type: Okta\n  allowedDomains: [acme.example]\n  defaultRoleRef: {{name: agent}}\n  oidc:\n    issuerUrl: https://acme.okta.example\n    clientId: client-1\n    clientSecretRef: {{name: {secretName}, key: clientSecret}}\n---\n";
}
