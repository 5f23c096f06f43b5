using Microsoft.Extensions.Time.Testing;
using System.Reflection;
using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Core.Status;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Tests.Status;

public sealed class ConditionsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Set_WhenNothingChanged_ReturnsTheSameListSoNoStatusWriteIsNeeded()
    {
        var first = Conditions.Set(null, ConditionTypes.Ready, true, ConditionReasons.ReconcileSuccess, "", 3, _time);
        _time.Advance(TimeSpan.FromMinutes(5));

        var second = Conditions.Set(first, ConditionTypes.Ready, true, ConditionReasons.ReconcileSuccess, "", 3, _time);

        second.Should().BeSameAs(first);
    }

    [Fact]
    public void Set_WhenOnlyTheReasonChanges_KeepsTheTransitionTime()
    {
        var first = Conditions.Set(null, ConditionTypes.Synced, false, ConditionReasons.ReconcileError, "boom", 1, _time);
        _time.Advance(TimeSpan.FromMinutes(5));

        var second = Conditions.Set(first, ConditionTypes.Synced, false, ConditionReasons.ReferenceNotFound, "Role/x not found", 1, _time);

        var synced = Conditions.Find(second, ConditionTypes.Synced)!;
        synced.Reason.Should().Be(ConditionReasons.ReferenceNotFound);
        synced.LastTransitionTime.Should().Be(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Set_WhenTheStatusFlips_StampsANewTransitionTimeAndGeneration()
    {
        var first = Conditions.Set(null, ConditionTypes.Ready, false, ConditionReasons.ReconcileError, "", 1, _time);
        _time.Advance(TimeSpan.FromMinutes(5));

        var second = Conditions.Set(first, ConditionTypes.Ready, true, ConditionReasons.ReconcileSuccess, "", 2, _time);

        var ready = Conditions.Find(second, ConditionTypes.Ready)!;
        ready.LastTransitionTime.Should().Be(_time.GetUtcNow());
        ready.ObservedGeneration.Should().Be(2);
        Conditions.IsTrue(second, ConditionTypes.Ready).Should().BeTrue();
    }

    [Fact]
    public void Set_KeepsOtherConditionsAndOrdersByType()
    {
        IReadOnlyList<Condition> list = [];
        list = Conditions.Set(list, ConditionTypes.Synced, true, ConditionReasons.ReconcileSuccess, "", 1, _time);
        list = Conditions.Set(list, ConditionTypes.Drifted, false, ConditionReasons.NoDrift, "", 1, _time);
        list = Conditions.Set(list, ConditionTypes.Ready, true, ConditionReasons.ReconcileSuccess, "", 1, _time);

        list.Select(c => c.Type).Should().Equal(ConditionTypes.Drifted, ConditionTypes.Ready, ConditionTypes.Synced);
    }

    [Fact]
    public void Set_CapsAMessageOverTheLimitAt32768Characters_AndComparesTheCappedOne()
    {
        var atTheLimit = new string('x', 32768);
        var over = atTheLimit + new string('y', 7_232);

        var first = Conditions.Set(null, ConditionTypes.Synced, false, ConditionReasons.ReconcileError, over, 1, _time);
        var again = Conditions.Set(first, ConditionTypes.Synced, false, ConditionReasons.ReconcileError, over, 1, _time);
        var exact = Conditions.Set(null, ConditionTypes.Synced, false, ConditionReasons.ReconcileError, atTheLimit, 1, _time);

        Conditions.Find(first, ConditionTypes.Synced)!.Message.Should().Be(atTheLimit);
        again.Should().BeSameAs(first, "an unchanged overlong failure writes nothing");
        Conditions.Find(exact, ConditionTypes.Synced)!.Message.Should().BeSameAs(atTheLimit);
    }

    [Fact]
    public void Set_CapsBeforeASurrogatePairRatherThanSplittingIt()
    {
        // An emoji whose high surrogate is the 32768th UTF-16 unit: keeping it alone would leave invalid UTF-16.
        var message = new string('x', 32767) + "\U0001F600" + "tail";

        var capped = Conditions.Find(Conditions.Set(null, ConditionTypes.Synced, false, ConditionReasons.ReconcileError, message, 1, _time), ConditionTypes.Synced)!.Message;

        capped.Should().Be(new string('x', 32767));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a reason")]
    [InlineData("Trailing:")]
    [InlineData("9Lives")]
    [InlineData("kebab-case")]
    [InlineData("Ready\n")]
    public void Set_RefusesAReasonTheApiServerWouldRefuse(string reason)
    {
        var set = () => Conditions.Set(null, ConditionTypes.Ready, false, reason, "", 1, _time);

        set.Should().Throw<ArgumentException>().WithParameterName("reason");
    }

    [Fact]
    public void Set_RefusesAReasonOverTheLimit()
    {
        var set = () => Conditions.Set(null, ConditionTypes.Ready, false, new string('A', 1025), "", 1, _time);

        set.Should().Throw<ArgumentException>().WithParameterName("reason");
    }

    public static TheoryData<string> ReasonsTheOperatorWrites()
    {
        var constants = typeof(ConditionReasons).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);
        var errorKinds = typeof(ReconcileErrorKind).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (ReconcileErrorKind)f.GetValue(null)!)
            .Concat(ResourceCatalog.Kinds.Where(k => k.Description.BuiltIn.Count > 0).Select(k => ReconcileErrorKind.BuiltIn(k.Description)))
            .SelectMany(k => new[] { k.Reason, k.ConditionReason });
        string[] kinds = [ChannelKind.DisabledReason, ChannelKind.UnknownReason, .. WireRules.ConnectionStates, OrganizationKind.SeatsExceededCondition, OrganizationKind.WithinSeatsReason];
        return [.. constants.Concat(errorKinds).Concat(kinds).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(ReasonsTheOperatorWrites))]
    public void EveryReasonTheOperatorWrites_MatchesUpstreamsPattern(string reason)
    {
        reason.Should().MatchRegex(@"\A[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?\z");
        reason.Length.Should().BeLessThanOrEqualTo(1024);
    }
}
