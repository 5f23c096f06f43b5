using System.Text.RegularExpressions;
using CsCheck;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Tests.Validation;

/// <summary>Secret references follow Kubernetes' Secret rules, so none can name a file outside the secrets folder.</summary>
public sealed class SecretKeyRefTests
{
    public static TheoryData<string, string, string> Hostile => new()
    {
        // name, key, field reported
        { "../outside", "token.txt", "spec.oidc.clientSecretRef.name" },
        { "x", "/proc/self/environ", "spec.oidc.clientSecretRef.key" },
        { "x", "..", "spec.oidc.clientSecretRef.key" },
        { "x", ".", "spec.oidc.clientSecretRef.key" },
        { "x", "../../etc/passwd", "spec.oidc.clientSecretRef.key" },
        { "x", "..data", "spec.oidc.clientSecretRef.key" },
        { "x", "a/b", "spec.oidc.clientSecretRef.key" },
        { "/etc", "passwd", "spec.oidc.clientSecretRef.name" },
        { "Okta_SSO", "clientSecret", "spec.oidc.clientSecretRef.name" },
        { "x", "a\\b", "spec.oidc.clientSecretRef.key" },
        { "okta\\n", "clientSecret", "spec.oidc.clientSecretRef.name" },
    };

    [Theory]
    [InlineData("okta\n", "clientSecret")]
    [InlineData("okta", "clientSecret\n")]
    public void A_reference_ending_in_a_newline_is_not_well_formed(string name, string key) =>
        new SecretKeyRef { Name = name, Key = key }.IsWellFormed().Should().BeFalse();

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Validate_reports_a_hostile_reference_with_its_position(string name, string key, string field)
    {
        var report = ManifestValidator.ValidateYaml(Okta(name, key));

        report.IsValid.Should().BeFalse();
        var diagnostic = report.Diagnostics.Should().ContainSingle(d => d.IsError).Subject;
        diagnostic.Code.Should().Be(DiagnosticCodes.Pattern);
        diagnostic.Path.Should().Be(field);
        diagnostic.Line.Should().Be(field.EndsWith(".name", StringComparison.Ordinal) ? 12 : 13);
        diagnostic.Column.Should().BeGreaterThan(1);
    }

    [Theory]
    [InlineData("okta-sso", "clientSecret")]
    [InlineData("sso.okta", "client_secret.txt")]
    [InlineData("a", ".hidden")]
    [InlineData("a", "x..y")]
    [InlineData("a", "-")]
    public void Validate_accepts_what_Kubernetes_accepts(string name, string key) =>
        ManifestValidator.ValidateYaml(Okta(name, key)).IsValid.Should().BeTrue();

    [Fact]
    public void The_key_pattern_agrees_with_the_Kubernetes_rule_for_every_string() =>
        Gen.String[Gen.Char["-._aZ09/\\"], 1, 6].Sample(key =>
        {
            // IsConfigMapKey: [-._a-zA-Z0-9]+, not ".", not "..", not starting with "..".
            var kubernetes = Regex.IsMatch(key, "^[-._a-zA-Z0-9]+$") && key != "." && key != ".." && !key.StartsWith("..", StringComparison.Ordinal);
            Regex.IsMatch(key, SecretKeyRef.KeyPattern).Should().Be(kubernetes, "key {0}", key);
        });

    [Fact]
    public void The_crd_schema_carries_both_patterns()
    {
        var crd = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "crds", "support.reconciler.dev_ssoproviders.yaml"));

        crd.Should().Contain("pattern: " + SecretKeyRef.KeyPattern).And.Contain("pattern: " + SecretKeyRef.NamePattern);
    }

    private static string Okta(string name, string key) => $"""
        apiVersion: support.reconciler.dev/v1alpha1
        kind: SsoProvider
        metadata:
          name: okta
        spec:
          type: Okta
          allowedDomains: [acme.example]
          oidc:
            issuerUrl: https://acme.okta.example
            clientId: client-1
            clientSecretRef:
              name: "{name}"
              key: "{key.Replace("\\", "\\\\", StringComparison.Ordinal)}"
        """;
}
