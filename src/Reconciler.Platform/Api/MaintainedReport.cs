using Microsoft.AspNetCore.Http;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Resources;
using Reconciler.Platform.Validation;

namespace Reconciler.Platform.Api;

/// <summary>
/// A report from the platform's own side (a channel provider, billing, a helpdesk integration) about a field an
/// administrator does not set: the body is parsed and checked against the contract's rules (422 with every violation),
/// then applied to the stored object as an audited, versioned update.
/// </summary>
internal static class MaintainedReport
{
    public static async Task<IResult> ApplyAsync<TReport, TObject>(
        IResourceHandler handler,
        string id,
        HttpContext http,
        MutationService mutations,
        Func<TReport, IReadOnlyList<Violation>> rules,
        Func<TObject, TReport, DateTimeOffset, TObject> change,
        CancellationToken cancellationToken)
        where TReport : class
        where TObject : WireObject
    {
        var (body, unreadable) = await MutationService.ReadBodyAsync(http, cancellationToken);
        if (unreadable is not null)
            return unreadable;
        var errors = new ValidationErrors();
        var report = RequestBody.Parse<TReport>(body, errors);
        if (report is not null)
        {
            foreach (var violation in rules(report))
                errors.Add(violation.Path, violation.Expected);
        }

        if (report is null || !errors.IsEmpty)
            return Problems.Validation(errors);
        return await mutations.UpdateMaintainedAsync(handler, id, http, (stored, now) => change((TObject)stored, report, now), cancellationToken);
    }
}
