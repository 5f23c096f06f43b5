namespace Reconciler.Core.Tests.Guards;

/// <summary>
/// A small organisation for the guard and impact tests: two admins through a custom role, eight active agents,
/// two business units with office hours, a supervisor chain and an enforced SSO provider. Each agent's spec is
/// a parameter, so a test changes one thing and keeps the rest.
/// </summary>
internal sealed record GuardOrganization
{
    public const string Head = Engine.Manifests.Head;

    public string OwnerPermissions { get; init; } = "agents.manage, roles.manage, sso.manage, inbox.view";

    public string HelperPermissions { get; init; } = "inbox.view, inbox.assign";

    public Dictionary<string, AgentSpec> Agents { get; init; } = new()
    {
        ["ana"] = new("Ana Lima", "owner", "support", "L2", null, "en"),
        ["ben"] = new("Ben Okafor", "owner", "support", "L2", null, "en"),
        ["cai"] = new("Cai Souza", "helper", "billing", "L1", null, "pt-BR, en"),
        ["dan"] = new("Dan Ferreira", "helper", "billing", "L1", null, "en"),
        ["eve"] = new("Eve Martin", "helper", "support", "L1", null, "en"),
        ["fay"] = new("Fay Chen", "helper", "support", "L1", null, "en"),
        ["gus"] = new("Gus Brand", "helper", "support", "L1", "hal", "en"),
        ["hal"] = new("Hal Berg", "helper", "support", "L1", null, "en"),
    };

    public string Weekly { get; init; } = "[{days: [Monday, Tuesday, Wednesday, Thursday, Friday], opens: \"09:00\", closes: \"17:00\"}]";

    public string Sso { get; init; } = "enabled: true\n  enforced: true";

    public string SsoSecret { get; init; } = "sso-okta";

    public string Yaml()
    {
        var agents = string.Concat(Agents.Select(a =>
            $"{Head}kind: Agent\nmetadata: {{name: {a.Key}}}\nspec:\n  email: {a.Key}@acme.example\n  displayName: {a.Value.Name}\n  roleRef: {{name: {a.Value.Role}}}\n"
            + $"  businessUnitRefs: [{{name: {a.Value.Unit}}}]\n  level: {a.Value.Level}\n  active: {(a.Value.Active ? "true" : "false")}\n  maxConcurrentChats: 3\n"
            + (a.Value.Supervisor is null ? "" : $"  supervisorRef: {{name: {a.Value.Supervisor}}}\n")
            + $"  languages: [{a.Value.Languages}]\n---\n"));
        return Engine.Manifests.Role("owner", OwnerPermissions.Split(", "))
            + Engine.Manifests.Role("helper", HelperPermissions.Split(", "))
            + $"{Head}kind: OfficeHours\nmetadata: {{name: latam}}\nspec:\n  timezone: America/Sao_Paulo\n  weekly: {Weekly}\n---\n"
            + $"{Head}kind: BusinessUnit\nmetadata: {{name: billing}}\nspec:\n  displayName: Billing\n  officeHoursRef: {{name: latam}}\n---\n"
            + $"{Head}kind: BusinessUnit\nmetadata: {{name: support}}\nspec:\n  displayName: Support\n  officeHoursRef: {{name: latam}}\n---\n"
            + $"{Head}kind: SsoProvider\nmetadata: {{name: okta}}\nspec:\n  type: Okta\n  {Sso}\n  allowedDomains: [acme.example]\n  oidc:\n    issuerUrl: https://acme.okta.example\n    clientId: client-1\n    clientSecretRef: {{name: {SsoSecret}, key: clientSecret}}\n---\n"
            + agents;
    }

    public GuardOrganization WithAgent(string name, Func<AgentSpec, AgentSpec> change)
    {
        var agents = new Dictionary<string, AgentSpec>(Agents) { [name] = change(Agents[name]) };
        return this with { Agents = agents };
    }

    public GuardOrganization Deactivate(params string[] names) =>
        names.Aggregate(this, (org, name) => org.WithAgent(name, a => a with { Active = false }));
}

/// <summary>What the test organisation says about one agent.</summary>
internal sealed record AgentSpec(string Name, string Role, string Unit, string Level, string? Supervisor, string Languages, bool Active = true);
