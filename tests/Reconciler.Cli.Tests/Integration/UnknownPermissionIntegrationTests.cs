namespace Reconciler.Cli.Tests.Integration;

/// <summary>
/// A permission the platform's catalog does not have is a plan error, found once the catalog is observed: apply
/// stops before its first write instead of meeting a 422 after other resources were written.
/// </summary>
public sealed class UnknownPermissionIntegrationTests
{
    private const string Role = """

        ---
        apiVersion: support.reconciler.dev/v1alpha1
        kind: Role
        metadata: {name: auditor}
        spec:
          displayName: Auditor
          permissions: [reports.view, reports.teleport]
        """;

    [Fact]
    public async Task Plan_reports_an_unknown_permission_with_its_manifest_position_and_fails()
    {
        await using var cli = await CliHarness.StartAsync();
        await File.AppendAllTextAsync(Path.Combine(cli.Manifests, "roles.yaml"), Role);

        var validate = await cli.RunAsync($"validate -f {cli.Manifests}");
        var plan = await cli.RunAsync("plan -f acme-support --platform-url {url}");

        validate.ExitCode.Should().Be(0, "the name is well-formed; only the platform's catalog knows it: " + validate);
        plan.ExitCode.Should().Be(1, plan.ToString());
        plan.Output.Should().Contain("Role/auditor: UnknownPermission: spec.permissions[1]: unknown permission 'reports.teleport'")
            .And.MatchRegex(@"\[.*roles\.yaml:\d+:\d+\]");
    }

    [Fact]
    public async Task Apply_never_sends_the_role_with_an_unknown_permission()
    {
        await using var cli = await CliHarness.StartAsync();
        await File.AppendAllTextAsync(Path.Combine(cli.Manifests, "roles.yaml"), Role);

        var apply = await cli.RunAsync("apply -f acme-support --auto-approve --platform-url {url}");

        apply.ExitCode.Should().Be(1, apply.ToString());
        apply.Output.Should().Contain("Role/auditor: UnknownPermission").And.NotContain("422");
        (await cli.ListAsync("roles")).Should().NotContain(r => r.Key == "auditor");
        var events = (await cli.Bot.ListAuditEventsAsync(new Reconciler.Core.Platform.AuditQuery(Collection: "roles"), CancellationToken.None)).Value!;
        events.Should().NotContain(e => e.Key == "auditor", "the role was never sent");
    }
}
