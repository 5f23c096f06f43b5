using CsCheck;
using Reconciler.Core.Impact;

namespace Reconciler.Core.Tests.Impact;

public sealed class UnitMembersTests
{
    private static readonly string[] UnitIds = ["u1", "u2", "u3", "u4"];

    private static readonly Gen<Person> People =
        Gen.Select(Gen.Int[0, 999], Gen.Int[0, 4].SelectMany(n => Gen.Int[0, 3].Select(i => UnitIds[i]).Array[n]))
            .Select((n, units) => new Person($"p{n}", $"p{n}@acme.example", $"Person {n}", null, units, "L1", null, ["en"], 3, true));

    [Fact]
    public void Every_units_members_are_those_a_scan_of_every_person_finds_in_the_same_order()
    {
        People.Array[0, 30].Sample(people =>
        {
            var distinct = people.DistinctBy(p => p.Id).ToList();
            var snapshot = new OrgSnapshot(
                distinct.ToDictionary(p => p.Id),
                new Dictionary<string, RoleInfo>(),
                UnitIds.Take(3).ToDictionary(id => id, id => new UnitInfo(id, id, id, null)),
                new Dictionary<string, OfficeHoursInfo>(),
                new Dictionary<string, SsoInfo>(),
                [],
                null);

            var members = UnitMembers.Of(snapshot);

            foreach (var unit in snapshot.Units.Values)
                members.In(unit).Should().Equal(snapshot.People.Values.Where(p => p.UnitIds.Contains(unit.Id)));
        });
    }

    [Fact]
    public void A_person_listing_a_unit_twice_is_one_member_of_it()
    {
        var person = new Person("p1", "p1@acme.example", "Ana", null, ["u1", "u1"], "L1", null, ["en"], 3, true);
        var snapshot = new OrgSnapshot(
            new Dictionary<string, Person> { ["p1"] = person },
            new Dictionary<string, RoleInfo>(),
            new Dictionary<string, UnitInfo> { ["u1"] = new("u1", "billing", "Billing", null) },
            new Dictionary<string, OfficeHoursInfo>(),
            new Dictionary<string, SsoInfo>(),
            [],
            null);

        UnitMembers.Of(snapshot).In(snapshot.Units["u1"]).Should().Equal(person);
    }
}
