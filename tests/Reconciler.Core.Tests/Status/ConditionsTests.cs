using Reconciler.Core.Resources;
using Reconciler.Core.Status;

namespace Reconciler.Core.Tests.Status;

public sealed class ConditionsTests
{
    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Set_WhenNothingChanged_ReturnsTheSameListSoNoStatusWriteIsNeeded()
    {
        var first = Conditions.Set(null, ConditionTypes.Ready, true, ConditionReasons.ReconcileSuccess, "", 3, _time);
        _time.Now = _time.Now.AddMinutes(5);

        var second = Conditions.Set(first, ConditionTypes.Ready, true, ConditionReasons.ReconcileSuccess, "", 3, _time);

        second.Should().BeSameAs(first);
    }

    [Fact]
    public void Set_WhenOnlyTheReasonChanges_KeepsTheTransitionTime()
    {
        var first = Conditions.Set(null, ConditionTypes.Synced, false, ConditionReasons.ReconcileError, "boom", 1, _time);
        _time.Now = _time.Now.AddMinutes(5);

        var second = Conditions.Set(first, ConditionTypes.Synced, false, ConditionReasons.ReferenceNotFound, "Role/x not found", 1, _time);

        var synced = Conditions.Find(second, ConditionTypes.Synced)!;
        synced.Reason.Should().Be(ConditionReasons.ReferenceNotFound);
        synced.LastTransitionTime.Should().Be(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Set_WhenTheStatusFlips_StampsANewTransitionTimeAndGeneration()
    {
        var first = Conditions.Set(null, ConditionTypes.Ready, false, ConditionReasons.ReconcileError, "", 1, _time);
        _time.Now = _time.Now.AddMinutes(5);

        var second = Conditions.Set(first, ConditionTypes.Ready, true, ConditionReasons.ReconcileSuccess, "", 2, _time);

        var ready = Conditions.Find(second, ConditionTypes.Ready)!;
        ready.LastTransitionTime.Should().Be(_time.Now);
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
}
