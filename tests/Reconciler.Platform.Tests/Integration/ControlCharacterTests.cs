using System.Net;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

/// <summary>
/// Control characters are refused where they come in, so none reaches the database: PostgreSQL rejects U+0000 in text
/// and in jsonb, which made a query with one a 500 and an object holding one break every later count of its collection.
/// </summary>
public sealed class ControlCharacterTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    [Theory, Sqlite, Postgres]
    public async Task A_string_field_with_a_control_character_is_422_on_that_field_and_line_breaks_and_tabs_are_text(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;

        foreach (var control in new[] { "\u0000", "\u0007", "\u001b[31m", "\u007f" })
        {
            var agent = CollectionApiTests.Agent($"{Http.Unique("ctl")}@acme.example") with { DisplayName = $"Maria{control}Santos" };
            using var refused = await client.PostAsync("agents", agent);
            refused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, $"U+{(int)control[0]:X4}");
            (await refused.Read<ProblemDto>()).Errors.Should().ContainKey("displayName");
        }

        using var nested = await client.PostAsync("business-units", new { name = Http.Unique("bu"), displayName = "B", routing = new { strategy = "Round\u0000Robin" } });
        (await nested.Read<ProblemDto>()).Errors.Should().ContainKey("routing.strategy");

        var unit = await client.CreateOk<BusinessUnitDto>("business-units", new BusinessUnitDto { Name = Http.Unique("bu"), DisplayName = "B", Description = "First line\r\nsecond\tline" });
        unit.Description.Should().Be("First line\r\nsecond\tline");

        using var licences = await client.PutAsync("organization/licences", new LicencesDto { SeatsBought = 5 }, null);
        licences.StatusCode.Should().Be(HttpStatusCode.OK, "the agents' seats are counted in the database");
    }

    [Theory, Sqlite, Postgres]
    public async Task A_query_parameter_with_a_control_character_is_400(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;

        foreach (var path in new[] { "audit-events?actor=%00", "audit-events?objectId=a%00b", "audit-events?collection=%00", "business-units?labelSelector=a%00%3Db", "business-units?labelSelector=a%3D%07" })
        {
            using var response = await client.GetAsync(path);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest, path);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", path);
        }
    }

    [Theory, Sqlite, Postgres]
    public async Task An_idempotency_key_with_a_control_character_is_400_and_creates_nothing(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;

        foreach (var control in new[] { "\u0001", "\u0007", "\u001b[31m", "\u007f" })
        {
            var name = Http.Unique("ctlkey");
            using var refused = await client.PostAsync("roles", new { name, displayName = "R", permissions = Array.Empty<string>() }, $"key{control}{name}");

            refused.StatusCode.Should().Be(HttpStatusCode.BadRequest, $"U+{(int)control[0]:X4}");
            refused.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
            (await refused.Read<ProblemDto>()).Detail.Should().Be("Idempotency-Key must not hold control characters.");
            using var created = await client.PostAsync("roles", new { name, displayName = "R", permissions = Array.Empty<string>() }, $"key-{name}");
            created.StatusCode.Should().Be(HttpStatusCode.Created, "the refused request created nothing");
        }
    }
}
