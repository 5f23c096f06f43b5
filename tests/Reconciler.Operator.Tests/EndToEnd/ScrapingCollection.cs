namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>
/// Tests that read an operator's /metrics run alone: OpenTelemetry's meter providers subscribe to meters by name, so
/// another operator host in the same test process, started or disposed meanwhile, would share or retire the
/// instruments a scrape reads. Production runs one operator per process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScrapingCollection
{
    public const string Name = "Scrapes /metrics";
}
