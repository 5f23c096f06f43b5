using CsCheck;
using Reconciler.Core.Engine.Output;
using Reconciler.Core.Resources;
using Reconciler.Core.Schedules;
using Reconciler.Core.Tests.Engine;

namespace Reconciler.Core.Tests.Schedules;

public sealed class AgentScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static Agent Maria(string dated) => (Agent)EngineHarness.Load(
        $"{Reconciler.Core.Tests.Engine.Manifests.Head}kind: Agent\nmetadata: {{name: maria}}\nspec:\n  email: maria@acme.example\n  displayName: Maria Santos\n  roleRef: {{name: agent}}\n  level: L1\n{dated}---\n")[0];

    private static DateTimeOffset T(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    public static TheoryData<string, string, bool> ActiveWindowEdges => new()
    {
        // Timestamps: from is the first active instant, until the first inactive one.
        { "a tick before activeFrom the agent is inactive", "2026-12-06T22:59:59.9999999Z", false },
        { "at activeFrom the agent is active", "2026-12-06T23:00:00Z", true },
        { "a tick before activeUntil the agent is still active", "2026-12-11T22:59:59.9999999Z", true },
        { "at the end of the until date (midnight Berlin) the agent is inactive", "2026-12-11T23:00:00Z", false },
    };

    [Theory]
    [MemberData(nameof(ActiveWindowEdges))]
    public void At_ADateWindow_IsOpenFromTheStartOfTheFirstDayToTheEndOfTheLastInTheOrganisationsZone(string why, string at, bool active)
    {
        var maria = Maria("  activeFrom: 2026-12-07\n  activeUntil: 2026-12-11\n");

        AgentSchedule.At(maria, T(at), Berlin).Spec.Active.Should().Be(active, why);
    }

    [Fact]
    public void At_AnAgentSetInactive_StaysInactiveInsideItsWindow()
    {
        var maria = Maria("  active: false\n  activeFrom: 2026-12-07\n");

        AgentSchedule.At(maria, T("2026-12-08T12:00:00Z"), Berlin).Spec.Active.Should().BeFalse();
    }

    [Fact]
    public void At_ATemporaryAssignment_AppliesOnlyWhileItsWindowIsOpen()
    {
        var maria = Maria("  temporary:\n    - {roleRef: {name: supervisor}, level: L3, from: 2026-12-07T09:00:00+01:00, until: 2026-12-09T17:00:00+01:00, reason: leave}\n");

        var before = AgentSchedule.At(maria, T("2026-12-07T07:59:59Z"), Berlin).Spec;
        var during = AgentSchedule.At(maria, T("2026-12-07T08:00:00Z"), Berlin).Spec;
        var after = AgentSchedule.At(maria, T("2026-12-09T16:00:00Z"), Berlin).Spec;

        (before.RoleRef.Name, before.Level).Should().Be(("agent", AgentLevel.L1));
        (during.RoleRef.Name, during.Level).Should().Be(("supervisor", AgentLevel.L3));
        (after.RoleRef.Name, after.Level).Should().Be(("agent", AgentLevel.L1));
    }

    [Fact]
    public void At_ADateAcrossTheSpringClockChange_StartsAtLocalMidnightWithTheNewOffset()
    {
        // Berlin moves from +01:00 to +02:00 on 2027-03-28 at 02:00; the 29th starts at 22:00 UTC on the 28th.
        var maria = Maria("  activeFrom: 2027-03-29\n");

        AgentSchedule.Boundaries(maria, Berlin).Should().Equal(T("2027-03-29T00:00:00+02:00"));
        AgentSchedule.At(maria, T("2027-03-28T21:59:59Z"), Berlin).Spec.Active.Should().BeFalse();
        AgentSchedule.At(maria, T("2027-03-28T22:00:00Z"), Berlin).Spec.Active.Should().BeTrue();
    }

    [Fact]
    public void At_ADateAcrossTheAutumnClockChange_EndsAtLocalMidnightWithTheOldOffset()
    {
        // Berlin moves back from +02:00 to +01:00 on 2026-10-25; the day after the until date starts at 23:00 UTC.
        var maria = Maria("  activeUntil: 2026-10-25\n");

        AgentSchedule.Boundaries(maria, Berlin).Should().Equal(T("2026-10-26T00:00:00+01:00"));
        AgentSchedule.At(maria, T("2026-10-25T22:59:59Z"), Berlin).Spec.Active.Should().BeTrue();
        AgentSchedule.At(maria, T("2026-10-25T23:00:00Z"), Berlin).Spec.Active.Should().BeFalse();
    }

    [Fact]
    public void StartOfDay_WhereMidnightIsSkipped_IsTheFirstInstantAfterTheGap()
    {
        // Santiago skipped 00:00-01:00 on 2026-09-06 (-04:00 to -03:00).
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");

        ScheduleTime.StartOfDay(new DateOnly(2026, 9, 6), santiago).Should().Be(T("2026-09-06T01:00:00-03:00"));
    }

    [Fact]
    public void Upcoming_DescribesEachTransitionAndSaysBackToForTheBaseSpec()
    {
        var maria = Maria("  activeUntil: 2026-12-31\n  temporary:\n    - {roleRef: {name: supervisor}, from: 2026-12-07, until: 2026-12-11, reason: leave}\n");

        var upcoming = AgentSchedule.Upcoming(maria, T("2026-12-01T00:00:00Z"), Berlin);

        upcoming.Select(t => (t.At, t.Description)).Should().Equal(
            (T("2026-12-07T00:00:00+01:00"), "Maria Santos to role supervisor"),
            (T("2026-12-12T00:00:00+01:00"), "Maria Santos back to role agent"),
            (T("2027-01-01T00:00:00+01:00"), "Maria Santos deactivated"));
        upcoming[1].Changes.Should().Equal(new TransitionChange("spec.roleRef", "supervisor", "agent"));
        TransitionText.Line(upcoming[1], T("2026-12-10T00:00:00+01:00")).Should().StartWith("in 2 days: Maria Santos back to role agent");
    }

    [Fact]
    public void Next_AtTheBoundaryItself_IsTheFollowingOne()
    {
        var maria = Maria("  activeFrom: 2026-12-07T09:00:00Z\n  activeUntil: 2026-12-08T09:00:00Z\n");

        AgentSchedule.Next(maria, T("2026-12-07T09:00:00Z"), Berlin).Should().Be(T("2026-12-08T09:00:00Z"));
        AgentSchedule.Next(maria, T("2026-12-08T09:00:00Z"), Berlin).Should().BeNull();
    }

    [Theory]
    [InlineData("2026-12-07T09:00:00Z", "2026-12-07T09:00:00+00:00")]
    [InlineData("2026-12-07t09:00:00.5+05:30", "2026-12-07T09:00:00.5+05:30")]
    [InlineData("2026-12-07 09:00:00-03:00", "2026-12-07T09:00:00-03:00")]
    public void Parse_ReadsRfc3339Timestamps(string text, string expected) =>
        ScheduleTime.Parse(text, Berlin, isEnd: false).Should().Be(T(expected));

    [Theory]
    [InlineData("2026-12-07T09:00:00", "no offset: which zone was meant is a guess")]
    [InlineData("2026-02-30", "no such day")]
    [InlineData("next monday", "not a time")]
    [InlineData("0001-01-01", "Berlin's midnight that day is before the first instant a DateTimeOffset holds")]
    public void Parse_RejectsWhatIsNotATimestampOrDate(string text, string why) =>
        ScheduleTime.Parse(text, Berlin, isEnd: false).Should().BeNull(why);

    [Fact]
    public void Parse_TheEndOfTheCalendarsLastDay_IsNone() =>
        ScheduleTime.Parse("9999-12-31", TimeZoneInfo.Utc, isEnd: true).Should().BeNull("the next day's first instant does not exist");

    [Fact]
    public void Property_TheEffectiveSpecChangesOnlyAtTheBoundaries()
    {
        var maria = Maria("  activeFrom: 2026-12-07\n  activeUntil: 2026-12-20\n  temporary:\n    - {level: L3, from: 2026-12-10T10:00:00Z, until: 2026-12-12T10:00:00Z}\n    - {roleRef: {name: admin}, from: 2026-12-01, until: 2026-12-08}\n");
        var boundaries = AgentSchedule.Boundaries(maria, Berlin);
        var start = T("2026-11-25T00:00:00Z");

        Gen.Long[0, TimeSpan.FromDays(40).Ticks].Sample(offset =>
        {
            var at = start.AddTicks(offset);
            var previous = boundaries.LastOrDefault(b => b <= at, start);
            var here = AgentSchedule.At(maria, at, Berlin).Spec;
            var then = AgentSchedule.At(maria, previous, Berlin).Spec;
            return (here.Active, here.RoleRef.Name, here.Level) == (then.Active, then.RoleRef.Name, then.Level);
        });
    }
}
