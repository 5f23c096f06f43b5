namespace Reconciler.Core.Status;

/// <summary>Where a resource stands for a GitOps tool that waits on it (kstatus: Flux, kubectl wait; Argo CD's health check).</summary>
public enum ReconcileProgress
{
    /// <summary>Synced, or at rest: neither Reconciling nor Stalled.</summary>
    Settled,

    /// <summary>A retry is expected to help (the platform unavailable, a Secret or a referenced resource on its way): Reconciling=True.</summary>
    Reconciling,

    /// <summary>Only a change can help (invalid spec, a missing reference, a refused write or guard, paused): Stalled=True.</summary>
    Stalled,
}
