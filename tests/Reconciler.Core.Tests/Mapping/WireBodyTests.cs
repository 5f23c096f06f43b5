using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Tests.Mapping;

public sealed class WireBodyTests
{
    private static readonly IReadOnlyList<ComparisonRule> AgentRules = KindMappers.ForKind("Agent").Rules;
    private static readonly IReadOnlyList<ComparisonRule> UnitRules = KindMappers.ForKind("BusinessUnit").Rules;

    private static readonly Gen<List<string>> Texts = Gen.OneOf<string>("en", "EN", "fr", "u1", "U1").List[0, 3];

    private static readonly Gen<AgentDto> Agent =
        Gen.Select(
            Gen.OneOf<string>("Ann@x.example", "ann@x.example"),
            Gen.OneOf<string>("Ann", "ann", ""),
            Gen.OneOf<string?>(null, "+1 555"),
            Gen.OneOf<string?>(null, "agt_1"),
            Texts,
            Texts,
            Gen.Int[0, 4],
            Gen.Bool)
        .Select((email, name, mobile, supervisor, units, languages, chats, active) => new AgentDto
        {
            Email = email,
            DisplayName = name,
            Mobile = mobile,
            RoleId = "rol_1",
            BusinessUnitIds = units,
            Level = chats % 2 == 0 ? "L1" : "L2",
            SupervisorId = supervisor,
            Languages = languages,
            Categories = [.. languages.Take(1)],
            MaxConcurrentChats = chats,
            Capabilities = units.Count > 1 ? ["Chat"] : [],
            Active = active,
        });

    private static readonly Gen<BusinessUnitDto> Unit =
        Gen.Select(Gen.OneOf<string?>(null, "About"), Gen.OneOf<string?>(null, "hrs_1"), Gen.Bool, Gen.Int[0, 2])
        .Select((description, hours, routed, limit) => new BusinessUnitDto
        {
            Name = "sales",
            DisplayName = "Sales",
            Description = description,
            OfficeHoursId = hours,
            Routing = routed ? new RoutingDto { Strategy = limit == 0 ? "RoundRobin" : "LeastBusy", QueueLimit = limit } : null,
        });

    /// <summary>Values an observed field may hold, the odd ones included: JSON null, numbers as text, lists with nulls or numbers, objects.</summary>
    private static readonly Gen<JsonNode?> Value = Gen.OneOf(
        Gen.Const((JsonNode?)null),
        Gen.OneOf<string>("Ann", "ann", "L1", "L2", "en", "EN", "3", "RoundRobin", "").Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Int[0, 4].Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.OneOf<string?>("en", "EN", "fr", "u1", null).Array[0, 3].Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i is null ? null : (JsonNode?)JsonValue.Create(i))])),
        Gen.Const(() => (JsonNode?)new JsonArray(1, "en")),
        Gen.Const(() => (JsonNode?)new JsonObject { ["strategy"] = "RoundRobin", ["queueLimit"] = 0 }));

    [Fact]
    public void A_match_on_an_agent_is_what_comparing_its_body_judges()
    {
        MatchAgreesWithTheBody(Agent, AgentRules);
    }

    [Fact]
    public void A_match_on_a_business_unit_is_what_comparing_its_body_judges()
    {
        MatchAgreesWithTheBody(Unit, UnitRules);
    }

    [Fact]
    public void A_body_as_the_platform_returns_it_matches_without_building_it()
    {
        Gen.Select(Agent, Gen.Int[0, 1_000]).Sample((agent, seed) =>
        {
            var returned = WireBody.Of(agent, AgentRules);
            returned["id"] = "agt_9";
            returned["presence"] = "Online";
            Shuffle(returned, new Random(seed));

            WireBody.Matches(agent, AgentRules, Element(returned)).Should().BeTrue(returned.ToJsonString());
        });
        Unit.Sample(unit => WireBody.Matches(unit, UnitRules, Element(WireBody.Of(unit, UnitRules))).Should().BeTrue());
    }

    [Theory]
    [InlineData("""{"languages":["fr","en"]}""", true)]
    [InlineData("""{"languages":["en","fr","en"]}""", true)]
    [InlineData("""{"languages":["en"]}""", false)]
    [InlineData("""{"email":"ANN@x.example"}""", false)]
    [InlineData("""{"maxConcurrentChats":"3"}""", false)]
    [InlineData("""{"capabilities":null}""", true)]
    [InlineData("""{"mobile":""}""", false)]
    public void Observed_values_in_another_form_match_only_where_reading_them_in_place_can_tell(string edit, bool matches)
    {
        var agent = new AgentDto { Email = "ann@x.example", DisplayName = "Ann", RoleId = "rol_1", Languages = ["en", "fr"] };
        var observed = WireBody.Of(agent, AgentRules);
        foreach (var (name, value) in JsonNode.Parse(edit)!.AsObject())
            observed[name] = value?.DeepClone();

        WireBody.Matches(agent, AgentRules, Element(observed)).Should().Be(matches);
    }

    [Fact]
    public void A_field_is_read_as_a_lookup_by_its_name_reads_it_with_repeated_and_escaped_names()
    {
        // The observed JSON as text: a body's fields, others of the same names before or after them (the last counts),
        // names written with an escape or without.
        var names = AgentRules.Select(r => r.Name).ToArray();
        var extras = Gen.Select(Gen.Int[0, names.Length - 1], Value, Gen.Bool, Gen.Bool).Array[0, 4];
        Gen.Select(Agent, extras, Gen.Bool).Sample((agent, others, escapeBody) =>
        {
            var body = WireBody.Of(agent, AgentRules);
            var read = body.DeepClone().AsObject();
            var fields = new List<string>();
            foreach (var (index, value, escape, _) in others.Where(o => !o.Item4))
                fields.Add(Field(names[index], value, escape));
            fields.AddRange(body.Select(f => Field(f.Key, f.Value, escapeBody)));
            foreach (var (index, value, escape, _) in others.Where(o => o.Item4))
            {
                fields.Add(Field(names[index], value, escape));
                read[names[index]] = value?.DeepClone();
            }

            using var observed = JsonDocument.Parse("{" + string.Join(",", fields) + "}");
            WireBody.Matches(agent, AgentRules, observed.RootElement).Should().Be(WireBody.Matches(agent, AgentRules, Element(read)), observed.RootElement.GetRawText());
        }, iter: 5_000);

        static string Field(string name, JsonNode? value, bool escape) =>
            (escape ? $"\"\\u{(int)name[0]:x4}{name[1..]}\"" : $"\"{name}\"") + ":" + (value?.ToJsonString() ?? "null");
    }

    private static void MatchAgreesWithTheBody<TWire>(Gen<TWire> wires, IReadOnlyList<ComparisonRule> rules)
        where TWire : WireObject
    {
        var names = rules.Select(r => r.Name).ToArray();
        var edits = Gen.Select(Gen.Int[0, names.Length - 1], Gen.Bool, Value).Array[0, 4];
        Gen.Select(wires, wires, Gen.Bool, edits).Sample((wire, other, same, changes) =>
        {
            var observed = WireBody.Of(same ? wire : other, rules);
            foreach (var (index, remove, value) in changes)
            {
                if (remove)
                    observed.Remove(names[index]);
                else
                    observed[names[index]] = value?.DeepClone();
            }

            if (WireBody.Matches(wire, rules, Element(observed)))
                FieldNormalizer.Same(WireBody.Of(wire, rules), observed, rules).Should().BeTrue(observed.ToJsonString());
        }, iter: 20_000);
    }

    private static void Shuffle(JsonObject json, Random random)
    {
        foreach (var (_, value) in json)
        {
            if (value is JsonArray { Count: > 1 } array)
            {
                var items = array.Select(i => i?.DeepClone()).OrderBy(_ => random.Next()).ToList();
                array.Clear();
                foreach (var item in items)
                    array.Add(item);
            }
        }
    }

    private static JsonElement Element(JsonObject json)
    {
        using var document = JsonDocument.Parse(json.ToJsonString());
        return document.RootElement.Clone();
    }
}
