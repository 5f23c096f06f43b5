using Reconciler.Core.Impact;

namespace Reconciler.Core.Tests.Impact;

public sealed class CoverageCalculatorTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static OrgSnapshot Organisation(OfficeHoursInfo hours, params Person[] people) => new(
        people.ToDictionary(p => p.Id),
        new Dictionary<string, RoleInfo>(),
        new Dictionary<string, UnitInfo> { ["u1"] = new("u1", "billing", "Billing", hours.Id) },
        new Dictionary<string, OfficeHoursInfo> { [hours.Id] = hours },
        new Dictionary<string, SsoInfo>(),
        [],
        null);

    private static Person L1(string id, string name, string languages, bool active = true, string level = "L1") =>
        new(id, $"{id}@acme.example", name, null, ["u1"], level, null, languages.Split(", "), 3, active);

    public static TheoryData<string, string, string, string, string, double> DstCases => new()
    {
        // Spring forward (02:00 -> 03:00): the special hours last one hour less.
        { "spring forward", "2026-03-29", "01:00", "05:00", "2026-03-29T00:00:00.0000000+00:00", 3 },
        // Fall back (03:00 -> 02:00): one hour more.
        { "fall back", "2026-10-25", "01:00", "05:00", "2026-10-24T23:00:00.0000000+00:00", 5 },
        // A time the clocks skip opens at the first instant that exists after it.
        { "opening inside the skipped hour", "2026-03-29", "02:30", "04:00", "2026-03-29T01:30:00.0000000+00:00", 0.5 },
        // A repeated time is the first of the two.
        { "opening inside the repeated hour", "2026-10-25", "02:30", "04:00", "2026-10-25T00:30:00.0000000+00:00", 2.5 },
        { "an ordinary winter day", "2026-12-24", "08:00", "12:00", "2026-12-24T07:00:00.0000000+00:00", 4 },
    };

    [Theory]
    [MemberData(nameof(DstCases))]
    public void A_holidays_special_hours_are_placed_in_the_office_hours_time_zone_across_DST(string why, string date, string opens, string closes, string startUtc, double hours)
    {
        var officeHours = new OfficeHoursInfo("h1", "Support EMEA", "Europe/Berlin", [], [new HolidayInfo(DateOnly.Parse(date), "Special", opens, closes)]);

        var slot = CoverageCalculator.Of(Organisation(officeHours, L1("a1", "Ana Lima", "de"))).Cells.Single().Slots.Single();

        slot.StartUtc!.Value.ToString("O").Should().Be(startUtc, why);
        (slot.EndUtc!.Value - slot.StartUtc.Value).TotalHours.Should().Be(hours, why);
        slot.Covering.Should().Equal(["Ana Lima"], why);
    }

    [Fact]
    public void A_holiday_closed_all_day_has_no_interval_and_one_with_special_hours_is_its_own_interval()
    {
        var hours = new OfficeHoursInfo("h1", "Support LATAM", "America/Sao_Paulo",
            [new OpeningInterval([DayOfWeek.Saturday], "10:00", "14:00")],
            [new HolidayInfo(new DateOnly(2026, 2, 16), "Carnaval", null, null), new HolidayInfo(new DateOnly(2026, 2, 18), "Ash Wednesday", "12:00", "20:00")]);

        var cell = CoverageCalculator.Of(Organisation(hours, L1("a1", "Ana Lima", "pt-BR"))).Cells.Single();

        cell.Slots.Select(s => s.Label).Should().Equal("Saturdays 10:00–14:00", "2026-02-18 (Ash Wednesday) 12:00–20:00");
        cell.Slots[1].StartUtc.Should().Be(new DateTimeOffset(2026, 2, 18, 15, 0, 0, TimeSpan.Zero), "São Paulo is UTC-3 (no DST since 2019)");
        cell.TimeZone.Should().Be("America/Sao_Paulo");
    }

    [Fact]
    public void Only_active_L1_agents_cover_and_every_language_of_the_unit_is_listed()
    {
        var hours = new OfficeHoursInfo("h1", "Support LATAM", "America/Sao_Paulo", [new OpeningInterval([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday], "08:00", "20:00")], []);
        var state = Organisation(hours,
            L1("a1", "Ana Lima", "pt-BR, en"),
            L1("a2", "Bia Costa", "es", active: false),
            L1("a3", "Caio Reis", "fr", level: "L2"));

        var matrix = CoverageCalculator.Of(state);

        matrix.Cells.Select(c => (c.Language, string.Join(",", c.Slots.Single().Covering))).Should().Equal(("en", "Ana Lima"), ("es", ""), ("fr", ""), ("pt-BR", "Ana Lima"));
        matrix.Cells[0].Slots.Single().Label.Should().Be("Mon–Wed 08:00–20:00");
        matrix.Capacity.Single().Should().Be(new UnitCapacity("billing", "Billing", 3, 1));
    }

    [Fact]
    public void Days_read_as_people_write_them()
    {
        CoverageCalculator.Days([DayOfWeek.Saturday]).Should().Be("Saturdays");
        CoverageCalculator.Days([DayOfWeek.Friday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday]).Should().Be("Mon–Fri");
        CoverageCalculator.Days([DayOfWeek.Monday, DayOfWeek.Wednesday]).Should().Be("Mon, Wed");
        CoverageCalculator.Days([DayOfWeek.Sunday, DayOfWeek.Monday]).Should().Be("Mon, Sun");
    }

    [Fact]
    public void Instants_follow_the_zone_rules_not_a_fixed_offset()
    {
        CoverageCalculator.Instant(Berlin, new DateOnly(2026, 7, 1), "09:00").Should().Be(new DateTimeOffset(2026, 7, 1, 7, 0, 0, TimeSpan.Zero));
        CoverageCalculator.Instant(Berlin, new DateOnly(2026, 1, 1), "09:00").Should().Be(new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero));
        CoverageCalculator.Instant(Berlin, new DateOnly(2026, 1, 1), "24:00").Should().Be(new DateTimeOffset(2026, 1, 1, 23, 0, 0, TimeSpan.Zero));
    }
}
