using Reconciler.Core.Resources;

namespace Reconciler.Benchmarks;

/// <summary>A large, valid organisation generated in memory: office hours, roles, business units and agents in a supervisor tree.</summary>
internal static class OrganizationGenerator
{
    public const int OfficeHoursCount = 10;

    private static readonly string[] Languages = ["en", "de", "pt-BR", "es", "fr", "id"];

    public static IReadOnlyList<Resource> Generate(int agents, int roles, int units)
    {
        var resources = new List<Resource>();
        for (var i = 0; i < OfficeHoursCount; i++)
        {
            resources.Add(new OfficeHours
            {
                Metadata = new ObjectMeta { Name = $"hours-{i}" },
                Spec = new OfficeHoursSpec
                {
                    Timezone = "Europe/Berlin",
                    Weekly = [new WeeklyInterval { Days = [DayOfWeek.Monday, DayOfWeek.Friday], Opens = "08:00", Closes = "18:00" }],
                },
            });
        }

        for (var i = 0; i < roles; i++)
        {
            resources.Add(new Role
            {
                Metadata = new ObjectMeta { Name = $"role-{i}" },
                Spec = new RoleSpec { DisplayName = $"Role {i}", Permissions = i % 2 == 0 ? ["inbox.view", "inbox.reply"] : ["inbox.view", "reports.view"] },
            });
        }

        for (var i = 0; i < units; i++)
        {
            resources.Add(new BusinessUnit
            {
                Metadata = new ObjectMeta { Name = $"unit-{i}" },
                Spec = new BusinessUnitSpec { DisplayName = $"Unit {i}", OfficeHoursRef = $"hours-{i % OfficeHoursCount}" },
            });
        }

        // A hundred leads report to no one; everyone else reports to a lead, so supervisors come first.
        var leads = Math.Min(100, agents);
        for (var i = 0; i < agents; i++)
        {
            resources.Add(new Agent
            {
                Metadata = new ObjectMeta { Name = $"agent-{i}" },
                Spec = new AgentSpec
                {
                    Email = $"agent{i}@bench.example",
                    DisplayName = $"Agent {i}",
                    RoleRef = i < leads ? "supervisor" : $"role-{i % roles}",
                    BusinessUnitRefs = [$"unit-{i % units}"],
                    SupervisorRef = i < leads ? null : ResourceRef.FromString($"agent-{i % leads}"),
                    Level = (AgentLevel)(i % 4),
                    Languages = i % Languages.Length == 0 ? ["en"] : [Languages[i % Languages.Length], "en"],
                    Capabilities = [AgentCapability.Chat, AgentCapability.Search],
                },
            });
        }

        return resources;
    }
}
