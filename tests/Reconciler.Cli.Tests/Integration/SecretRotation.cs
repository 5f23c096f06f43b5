using Reconciler.Core.Platform;

namespace Reconciler.Cli.Tests.Integration;

/// <summary>
/// One secret rotated through the CLI against the real platform: the example applied, the secret's variable changed, then
/// plan (text and JSON), apply and a second plan; with the object before and after and the audit events of the apply.
/// </summary>
internal sealed record SecretRotation(CliRun Plan, CliRun PlanJson, CliRun Apply, CliRun PlanAfter, PlatformObject Before, PlatformObject After, IReadOnlyList<AuditRecord> Events)
{
    private const string ApplyExample = "apply -f acme-support --auto-approve --platform-url {url}";
    private const string PlanExample = "plan -f acme-support --detailed-exitcode --platform-url {url}";

    public static async Task<SecretRotation> RunAsync(CliHarness cli, string variable, string rotated, string collection, string key)
    {
        (await cli.RunAsync(ApplyExample)).ExitCode.Should().Be(0);
        var before = (await cli.ListAsync(collection)).Single(o => o.Key == key);
        var auditBefore = await cli.AuditCountAsync();
        cli.Variables[variable] = rotated;

        var plan = await cli.RunAsync(PlanExample);
        var json = await cli.RunAsync(PlanExample + " -o json");
        var apply = await cli.RunAsync(ApplyExample);
        var planAfter = await cli.RunAsync(PlanExample);

        var after = (await cli.ListAsync(collection)).Single(o => o.Key == key);
        var events = (await cli.Bot.ListAuditEventsAsync(new AuditQuery(), CancellationToken.None)).Value!.Skip(auditBefore).ToList();
        return new SecretRotation(plan, json, apply, planAfter, before, after, events);
    }

    /// <summary>The change is planned masked at the manifest field, pushed in one write of the wire field, and then settled; no secret leaked.</summary>
    public void ShouldBeMaskedPushedAndSettled(CliHarness cli, string address, string manifestField, string wireField)
    {
        Plan.ExitCode.Should().Be(2, Plan.ToString());
        Plan.Output.Should().Contain($"~ {address}").And.Contain($"{manifestField}: (sensitive value changed)").And.Contain("1 to change");
        PlanJson.Output.Should().Contain("\"after_sensitive\": true");
        Apply.ExitCode.Should().Be(0, Apply.ToString());
        PlanAfter.ExitCode.Should().Be(0, PlanAfter.ToString());
        Events.Should().ContainSingle().Which.ChangedFields.Should().Contain(wireField);
        cli.AssertNoCanary();
    }
}
