using System.Net;
using System.Security.Cryptography;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests.Integration;

public sealed class ValidationTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    private static readonly RSA JwtPair = RSA.Create(2048);

    /// <summary>A PEM text as a JSON string's content.</summary>
    private static string Json(string pem) => pem.Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Each case: collection, body, the field path expected in errors, and why the case exists.</summary>
    public static TheoryData<string, string, string, string> InvalidBodies => new()
    {
        { "agents", """{"email":"not-an-email","displayName":"A","roleId":"rol_agent"}""", "email", "e-mail format" },
        { "agents", """{"email":"a@acme.example","displayName":"A","roleId":"rol_agent","mobile":"0800 123"}""", "mobile", "E.164 phone" },
        { "agents", """{"email":"a@acme.example","displayName":"A","roleId":"rol_agent","level":"L9"}""", "level", "level enumeration" },
        { "agents", """{"email":"a@acme.example","displayName":"A"}""", "roleId", "required member missing" },
        { "agents", """{"email":"a@acme.example","displayName":"A","roleId":"rol_nope"}""", "roleId", "broken role reference" },
        { "agents", """{"email":"a@acme.example","displayName":"A","roleId":"rol_agent","businessUnitIds":["bu_nope"]}""", "businessUnitIds[0]", "broken unit reference" },
        { "agents", """{"email":"a@acme.example","displayName":"A","roleId":"rol_agent","supervisorId":"agt_nope"}""", "supervisorId", "broken supervisor reference" },
        { "agents", """{"email":"a@acme.example","displayName":"A","roleId":"rol_agent","capabilities":["Fly"]}""", "capabilities[0]", "capability enumeration" },
        { "roles", """{"name":"r1","displayName":"R","permissions":["inbox.fly"]}""", "permissions[0]", "permission not in catalog" },
        { "roles", """{"name":"Bad Name","displayName":"R"}""", "name", "name format" },
        { "business-units", """{"name":"bu1","displayName":"B","officeHoursId":"oh_nope"}""", "officeHoursId", "broken office hours reference" },
        { "business-units", """{"name":"bu1","displayName":"B","routing":{"strategy":"Random"}}""", "routing.strategy", "nested field path" },
        { "office-hours", """{"name":"oh1","timezone":"Europe/Atlantis"}""", "timezone", "IANA time zone" },
        { "office-hours", """{"name":"oh1","timezone":"UTC","weekly":[{"days":["Monday"],"opens":"18:00","closes":"08:00"}]}""", "weekly[0].closes", "opens before closes" },
        { "office-hours", """{"name":"oh1","timezone":"UTC","weekly":[{"days":["Monday"],"opens":"8:00","closes":"12:00"}]}""", "weekly[0].opens", "HH:MM format" },
        { "office-hours", """{"name":"oh1","timezone":"UTC","weekly":[{"days":["Monday"],"opens":"08:00","closes":"12:00"},{"days":["Monday"],"opens":"11:00","closes":"14:00"}]}""", "weekly[1]", "overlapping intervals" },
        { "office-hours", """{"name":"oh1","timezone":"UTC","weekly":[{"days":["Funday"],"opens":"08:00","closes":"12:00"}]}""", "weekly[0].days[0]", "day names" },
        { "sso-providers", """{"name":"g1","type":"Google"}""", "oidc", "OIDC types need oidc" },
        { "sso-providers", """{"name":"g1","type":"Google","oidc":{"clientId":"abc"}}""", "oidc.clientSecret", "secret required on create" },
        { "sso-providers", """{"name":"s1","type":"Saml","saml":{"entityId":"urn:x"}}""", "saml.ssoUrl", "SAML without metadata needs ssoUrl" },
        { "sso-providers", """{"name":"s1","type":"Saml","saml":{"metadataUrl":"https://idp.example/m"},"oidc":{"clientId":"x"}}""", "oidc", "oidc forbidden for SAML" },
        { "sso-providers", """{"name":"j1","type":"Jwt"}""", "jwt", "JWT needs a public key" },
        { "sso-providers", $$$"""{"name":"j1","type":"Jwt","jwt":{"publicKey":"{{{Json(JwtPair.ExportSubjectPublicKeyInfoPem())}}}"},"defaultRoleId":"rol_nope"}""", "defaultRoleId", "broken default role" },
        { "sso-providers", $$$"""{"name":"j1","type":"Jwt","jwt":{"publicKey":"{{{Json(JwtPair.ExportPkcs8PrivateKeyPem())}}}"}}""", "jwt.publicKey", "the private half of the JWT key pair" },
        { "sso-providers", """{"name":"j1","type":"Jwt","jwt":{"publicKey":"k"}}""", "jwt.publicKey", "JWT needs an RSA public key" },
        { "sso-providers", """{"name":"s1","type":"Saml","saml":{"entityId":"urn:x","ssoUrl":"https://idp.example/sso","certificate":"PEM"}}""", "saml.certificate", "SAML needs a certificate" },
        { "tag-groups", """{"name":"t1","displayName":"T","tags":[{"name":"a","color":"red"}]}""", "tags[0].color", "colour format" },
        { "tag-groups", """{"name":"t1","displayName":"T","labels":{"bad key!":"x"}}""", "labels.bad key!", "label syntax" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_bodies_and_broken_references_are_422_with_the_field_path(string collection, string body, string field, string why)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        var response = await client.PostAsync(collection, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, why);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Read<ProblemDto>();
        problem.Errors.Should().ContainKey(field, $"{why}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_body_with_errors_in_every_item_of_a_huge_list_lists_a_bounded_number_of_fields()
    {
        // 100,000 unknown permissions were 100,001 field errors: a 2 MB request answered with about 10 MB.
        var client = (await servers.Get(Backend.Sqlite)).Client;
        var permissions = Enumerable.Range(0, 100_000).Select(i => $"nope.{i}").ToArray();

        using var response = await client.PostAsync("roles", new { name = Http.Unique("huge"), displayName = "R", permissions });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = await response.Read<ProblemDto>();
        problem.Errors.Should().HaveCount(101);
        problem.Errors!["permissions"].Should().Equal("must have at most 500 items");
        problem.Errors["$"].Should().Equal("99,901 more fields are invalid; the first 100 are listed");
    }

    [Theory]
    [InlineData("POST", "roles")]
    [InlineData("PUT", "roles/rol_agent")]
    [InlineData("PUT", "organization/helpdesk-links")]
    [InlineData("PUT", "organization/licences")]
    [InlineData("PUT", "channels/ch_nope/connection")]
    public async Task A_body_larger_than_the_server_reads_is_413_not_a_500(string method, string path)
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;
        var body = new byte[30_000_001];
        body.AsSpan().Fill((byte)' ');
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        // The answer comes before the body is sent; sending it anyway, the client would race the server's close.
        request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await response.Read<ProblemDto>()).Detail.Should().Be("A request body may hold at most 30000000 bytes.");
    }

    [Fact]
    public async Task Malformed_json_is_rejected_without_quoting_the_body_which_may_hold_a_secret()
    {
        var client = (await servers.Get(Backend.Sqlite)).Client;

        // An unquoted secret: the JSON parser's own message names the offending character ('Q').
        var body = "{\"name\":\"g1\",\"type\":\"Google\",\"oidc\":{\"clientId\":\"x\",\"clientSecret\": Q7zSecret}}";
        var response = await client.PostAsync("sso-providers", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var text = await response.Content.ReadAsStringAsync();
        text.Should().Contain("not valid JSON (line 1, byte").And.NotContain("'Q'").And.NotContain("\\u0027Q").And.NotContain("Q7z");
    }

    [Theory, Sqlite, Postgres]
    public async Task Supervisor_cycles_are_rejected(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var a = await client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent($"{Http.Unique("a")}@acme.example"));
        var b = await client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent($"{Http.Unique("b")}@acme.example") with { SupervisorId = a.Id });
        var cycle = await client.PutAsync($"agents/{a.Id}", a with { SupervisorId = b.Id }, a.Version);
        cycle.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await cycle.Read<ProblemDto>()).Errors.Should().ContainKey("supervisorId");
        (await client.PutAsync($"agents/{a.Id}", a with { SupervisorId = a.Id }, a.Version)).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Theory, Sqlite, Postgres]
    public async Task Deleting_an_object_that_is_still_referenced_is_409_naming_the_referrer(Backend backend)
    {
        var client = (await servers.Get(backend)).Client;
        var hours = await client.CreateOk<OfficeHoursDto>("office-hours", new OfficeHoursDto
        {
            Name = Http.Unique("emea"),
            Timezone = "Europe/Berlin",
            Weekly = [new WeeklyIntervalDto { Days = ["Monday", "Tuesday"], Opens = "08:00", Closes = "12:00" }, new WeeklyIntervalDto { Days = ["Monday"], Opens = "13:00", Closes = "18:00" }],
            Holidays = [new HolidayDto { Date = "2026-12-25", Name = "Christmas" }],
        });
        var unit = await client.CreateOk<BusinessUnitDto>("business-units", new BusinessUnitDto { Name = Http.Unique("bu"), DisplayName = "B", OfficeHoursId = hours.Id });
        var role = await client.CreateOk<RoleDto>("roles", new RoleDto { Name = Http.Unique("role"), DisplayName = "R", Permissions = ["inbox.view"] });
        var boss = await client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent($"{Http.Unique("boss")}@acme.example"));
        var agent = await client.CreateOk<AgentDto>("agents", CollectionApiTests.Agent($"{Http.Unique("x")}@acme.example", role.Id!) with { BusinessUnitIds = [unit.Id!], SupervisorId = boss.Id });

        foreach (var (path, version) in new[] { ($"office-hours/{hours.Id}", 1L), ($"business-units/{unit.Id}", 1L), ($"roles/{role.Id}", 1L), ($"agents/{boss.Id}", 1L) })
        {
            var response = await client.DeleteAsync(path, version);
            response.StatusCode.Should().Be(HttpStatusCode.Conflict, path);
            (await response.Read<ProblemDto>()).Detail.Should().Contain("still referenced", path);
        }

        (await client.DeleteAsync($"agents/{agent.Id}", 1)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.DeleteAsync($"roles/{role.Id}", 1)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.DeleteAsync($"business-units/{unit.Id}", 1)).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.DeleteAsync($"office-hours/{hours.Id}", 1)).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }
}
