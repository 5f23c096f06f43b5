using System.Security.Cryptography;
using System.Text;
using Reconciler.Core.Engine;
using static Reconciler.Core.Tests.Engine.Manifests;

namespace Reconciler.Core.Tests.Engine;

/// <summary>The secret fingerprint label: salted per object, slow to derive, stable while the secret is unchanged.</summary>
public sealed class SecretFingerprintTests
{
    [Fact]
    public void The_same_secret_gets_a_different_label_on_every_object_and_each_still_matches()
    {
        var first = SecretFingerprint.Create("hunter2");
        var second = SecretFingerprint.Create("hunter2");

        first.Should().NotBe(second, "a random salt makes precomputed tables useless");
        first.Should().MatchRegex("^p2\\.[0-9a-f]{16}\\.[0-9a-f]{32}$").And.HaveLength(52, "a label value has at most 63 characters");
        SecretFingerprint.Matches(first, "hunter2").Should().BeTrue();
        SecretFingerprint.Matches(second, "hunter2").Should().BeTrue();
        SecretFingerprint.Matches(first, "hunter3").Should().BeFalse();
        SecretFingerprint.Matches("p2.zz.zz", "hunter2").Should().BeFalse();
        SecretFingerprint.Matches(null, "hunter2").Should().BeFalse();
    }

    [Fact]
    public void A_label_cannot_be_recomputed_from_the_object_name_and_a_guess_the_old_way()
    {
        var label = SecretFingerprint.Create("hunter2");
        var oldWay = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("reconciler:okta"), Encoding.UTF8.GetBytes("hunter2")).AsSpan(0, 12));

        label.Should().NotContain(oldWay);
    }

    [Fact]
    public void Checking_a_guess_costs_the_configured_number_of_PBKDF2_rounds()
    {
        var label = SecretFingerprint.Create("hunter2");
        var parts = label.Split('.');

        var cheap = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("hunter2"), Convert.FromHexString(parts[1]), 1, HashAlgorithmName.SHA256, 16);
        var slow = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("hunter2"), Convert.FromHexString(parts[1]), SecretFingerprint.Iterations, HashAlgorithmName.SHA256, 16);

        parts[2].Should().Be(Convert.ToHexStringLower(slow)).And.NotBe(Convert.ToHexStringLower(cheap));
        SecretFingerprint.Iterations.Should().BeGreaterThanOrEqualTo(100_000);
    }

    [Fact]
    public async Task An_unchanged_secret_plans_no_change_and_a_rotated_one_does()
    {
        var harness = new EngineHarness();
        (await harness.ApplyAsync(Role("agent-like", "inbox.view") + Okta())).Succeeded.Should().BeTrue();
        var label = harness.Platform.All("sso-providers").Single().Labels["reconciler.dev/secret-fingerprint"];
        label.Should().StartWith("p2.").And.NotContain(EngineHarness.Canary);

        (await harness.PlanAsync(Role("agent-like", "inbox.view") + Okta())).Plan.HasChanges.Should().BeFalse();

        harness.SecretValues["sso-okta/clientSecret"] = "rotated-value";
        var rotated = await harness.PlanAsync(Role("agent-like", "inbox.view") + Okta());
        rotated.Plan.Changes.Should().ContainSingle().Which.Fields.Should().Contain(f => f.Sensitive && f.Path == "oidc.clientSecret");
        (await harness.ApplyAsync(rotated)).Succeeded.Should().BeTrue();
        harness.Platform.All("sso-providers").Single().Labels["reconciler.dev/secret-fingerprint"].Should().NotBe(label);
        (await harness.PlanAsync(Role("agent-like", "inbox.view") + Okta())).Plan.HasChanges.Should().BeFalse();
    }
}
