using Reconciler.Core.Manifests;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Schedules;

public sealed class ScheduleRuleTests
{
    public static TheoryData<string, string, string, string> Failing => new()
    {
        { "a boundary is a timestamp with an offset or a date", "activeFrom: 2026-12-07T09:00:00", DiagnosticCodes.ScheduleTime, "spec.activeFrom" },
        { "a date exists", "activeUntil: 2026-02-30", DiagnosticCodes.ScheduleTime, "spec.activeUntil" },
        { "activeUntil is not before activeFrom", "activeFrom: 2026-12-07\nactiveUntil: 2026-12-01", DiagnosticCodes.ScheduleOrder, "spec.activeUntil" },
        { "a window that ends when it starts never opens", "activeFrom: 2026-12-07T09:00:00Z\nactiveUntil: 2026-12-07T10:00:00+01:00", DiagnosticCodes.ScheduleNeverOpens, "spec.activeUntil" },
        { "a temporary until is not before its from", "temporary: [{level: L2, from: 2026-12-07, until: 2026-12-06}]", DiagnosticCodes.ScheduleOrder, "spec.temporary[0].until" },
        { "a temporary window outside the agent's active window never opens", "activeUntil: 2026-12-01\ntemporary: [{level: L2, from: 2026-12-07, until: 2026-12-08}]", DiagnosticCodes.ScheduleNeverOpens, "spec.temporary[0].from" },
        { "two windows overriding the same field do not overlap", "temporary:\n  - {level: L2, from: 2026-12-07, until: 2026-12-10}\n  - {level: L3, roleRef: {name: supervisor}, from: 2026-12-10, until: 2026-12-12}", DiagnosticCodes.ScheduleOverlap, "spec.temporary[1].from" },
        { "a temporary assignment overrides something", "temporary: [{from: 2026-12-07, until: 2026-12-08, reason: nothing}]", DiagnosticCodes.MissingRequired, "spec.temporary[0]" },
        { "the end of the calendar's last day is no instant", "activeUntil: 9999-12-31", DiagnosticCodes.ScheduleTime, "spec.activeUntil" },
        { "a temporary window ending with the calendar's last day neither", "temporary: [{level: L2, from: 9999-12-31, until: 9999-12-31}]", DiagnosticCodes.ScheduleTime, "spec.temporary[0].until" },
        { "a temporary role is a Role or a built-in role", "temporary: [{roleRef: {name: team-leed}, from: 2026-12-07, until: 2026-12-08}]", DiagnosticCodes.ReferenceNotFound, "spec.temporary[0].roleRef.name" },
    };

    [Theory]
    [MemberData(nameof(Failing))]
    public void Validate_ReportsTheBrokenScheduleAtItsField(string why, string spec, string code, string path)
    {
        var report = Validate(Agent("maria", spec));

        var diagnostic = report.Diagnostics.Should().ContainSingle(d => d.IsError, why).Subject;
        (diagnostic.Code, diagnostic.Path).Should().Be((code, path));
        diagnostic.File.Should().Be("test.yaml");
        diagnostic.Line.Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData("activeFrom: 2026-12-07\nactiveUntil: 2026-12-07", "a one-day window: from the start to the end of that day")]
    [InlineData("temporary:\n  - {level: L2, from: 2026-12-07, until: 2026-12-09}\n  - {level: L3, from: 2026-12-10, until: 2026-12-12}", "adjacent windows of one field")]
    [InlineData("temporary:\n  - {level: L2, from: 2026-12-07, until: 2026-12-12}\n  - {roleRef: {name: team-lead}, from: 2026-12-08, until: 2026-12-09}", "overlapping windows of different fields")]
    public void Validate_AcceptsSensibleSchedules(string spec, string why) =>
        Validate(Agent("maria", spec)).Diagnostics.Should().BeEmpty(why);

    [Fact]
    public void Validate_TheCalendarsFirstMidnightEastOfUtc_IsAnErrorNamingTheZone()
    {
        var report = Validate(Doc("Organization", "acme", "displayName: Acme\ntimezone: Asia/Tokyo"), Agent("maria", "activeFrom: 0001-01-01"));

        var diagnostic = report.Diagnostics.Should().ContainSingle(d => d.IsError, "Tokyo's midnight of 0001-01-01 is before the first instant there is").Subject;
        (diagnostic.Code, diagnostic.Path).Should().Be((DiagnosticCodes.ScheduleTime, "spec.activeFrom"));
        diagnostic.Message.Should().Contain("Asia/Tokyo").And.Contain("0001-01-02");
    }

    [Fact]
    public void Validate_PointsAtTheLineAndColumnOfTheValue()
    {
        var report = Validate(Agent("maria", "temporary:\n  - {level: L2, from: 2026-12-07, until: 2026-12-06}"));

        var diagnostic = report.Diagnostics.Should().ContainSingle().Subject;
        var line = (Background + Agent("maria", "temporary:\n  - {level: L2, from: 2026-12-07, until: 2026-12-06}")).Split('\n')[diagnostic.Line - 1];
        line[(diagnostic.Column - 1)..].Should().StartWith("2026-12-06");
    }
}
