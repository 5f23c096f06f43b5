using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Core.Status;

namespace Reconciler.Core.Tests.Status;

/// <summary>Which failures stall (only a change helps: kstatus Failed) and which reconcile on (time helps: InProgress); and the pair's abnormal-true shape.</summary>
public sealed class ReconcileProgressTests
{
    public static TheoryData<string, ReconcileErrorKind, ReconcileProgress> Kinds => new()
    {
        { "a reference not found may be declared a moment later (a GitOps tool applies in its own order)", ReconcileErrorKind.ReferenceNotFound, ReconcileProgress.Reconciling },
        { "a Secret is often made by another controller shortly after", ReconcileErrorKind.SecretNotFound, ReconcileProgress.Reconciling },
        { "an unanswered singleton read is a platform hiccup", ReconcileErrorKind.NotObserved, ReconcileProgress.Reconciling },
        { "a guard refusal needs an override or another change", ReconcileErrorKind.GuardRefused, ReconcileProgress.Stalled },
        { "a field the platform's rules refuse needs a spec change", ReconcileErrorKind.InvalidField, ReconcileProgress.Stalled },
        { "a permission not in the catalog is most often a typo", ReconcileErrorKind.UnknownPermission, ReconcileProgress.Stalled },
        { "a duplicate key needs one of the two changed", ReconcileErrorKind.DuplicateKey, ReconcileProgress.Stalled },
        { "a built-in object cannot be defined", ReconcileErrorKind.BuiltIn(ResourceCatalog.Kinds.First(k => k.Description.BuiltIn.Count > 0).Description), ReconcileProgress.Stalled },
        { "the platform unavailable is retried", ReconcileErrorKind.PlatformWrite(PlatformOutcome.Unavailable), ReconcileProgress.Reconciling },
        { "a stale version is retried", ReconcileErrorKind.PlatformWrite(PlatformOutcome.Conflict), ReconcileProgress.Reconciling },
        { "a write the platform refuses (401/403) is not retried into success", ReconcileErrorKind.PlatformWrite(PlatformOutcome.Unauthorized), ReconcileProgress.Stalled },
        { "an unknown plan error is not retried", ReconcileErrorKind.Of("SomethingNew"), ReconcileProgress.Stalled },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EachFailure_SaysWhetherTimeOrAChangeHealsIt(string why, ReconcileErrorKind kind, ReconcileProgress expected)
    {
        kind.Progress.Should().Be(expected, why);
    }

    [Fact]
    public void SetProgress_KeepsAtMostOneOfReconcilingAndStalled_AndSettledRemovesBoth()
    {
        var time = TimeProvider.System;
        var reconciling = Conditions.SetProgress(null, ReconcileProgress.Reconciling, ConditionReasons.PlatformUnavailable, "503", 1, time);
        var stalled = Conditions.SetProgress(reconciling, ReconcileProgress.Stalled, ConditionReasons.ValidationFailed, "spec.timezone", 1, time);
        var settled = Conditions.SetProgress(stalled, ReconcileProgress.Settled, ConditionReasons.ReconcileSuccess, "", 1, time);

        reconciling.Select(c => (c.Type, c.Status)).Should().Equal((ConditionTypes.Reconciling, "True"));
        stalled.Select(c => (c.Type, c.Status, c.Reason)).Should().Equal((ConditionTypes.Stalled, "True", ConditionReasons.ValidationFailed));
        settled.Should().BeEmpty("the abnormal-true conditions are absent when all is well, as kstatus and Flux's controllers have it");
        Conditions.SetProgress(settled, ReconcileProgress.Settled, ConditionReasons.ReconcileSuccess, "", 1, time).Should().BeSameAs(settled, "nothing to remove writes nothing");
    }
}
