using System.Diagnostics;

namespace Reconciler.Platform.Client;

/// <summary>The project's one <see cref="ActivitySource"/>: a span per reconcile, per apply run and per platform request.</summary>
public static class ReconcilerTracing
{
    public const string SourceName = "Reconciler";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts a root span for one run (an apply): recorded when a listener samples it, and otherwise still a trace
    /// context of its own, so the platform requests of the run carry one trace id even with no tracing configured.
    /// </summary>
    public static Activity StartRun(string name) =>
        Source.StartActivity(name, ActivityKind.Internal, parentContext: default)
        ?? new Activity(name).SetIdFormat(ActivityIdFormat.W3C).Start();

    /// <summary>
    /// Puts the current trace context on <paramref name="request"/> as W3C <c>traceparent</c> (and <c>tracestate</c>),
    /// so the platform can tie what it records to the span that asked. HttpClient would do the same only while a
    /// listener is attached; this does it whenever there is a span.
    /// </summary>
    public static void Propagate(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C } current)
            return;
        DistributedContextPropagator.Current.Inject(current, request, static (carrier, name, value) =>
        {
            if (carrier is HttpRequestMessage message && value is not null && !message.Headers.Contains(name))
                message.Headers.TryAddWithoutValidation(name, value);
        });
    }
}
