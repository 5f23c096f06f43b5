using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli.Tests.Plumbing;

/// <summary>The client's logging pipeline is built only for a message that passes the minimum, and then filters as it always did.</summary>
public sealed class DeferredLoggerFactoryTests
{
    private readonly List<string> _logs = [];
    private int _built;

    [Fact]
    public void Below_the_minimum_nothing_is_built_and_nothing_is_written()
    {
        using var factory = Factory(LogLevel.Warning);
        var logger = factory.CreateLogger("Reconciler.Platform.Client.AdminApiClient");

        logger.IsEnabled(LogLevel.Debug).Should().BeFalse();
        logger.IsEnabled(LogLevel.Information).Should().BeFalse();
        logger.LogDebug("GET agents -> 200");
        logger.LogInformation("retry 1");

        _built.Should().Be(0, "a run without -v never builds the logging pipeline");
        _logs.Should().BeEmpty();
    }

    [Fact]
    public void From_the_minimum_the_pipeline_is_built_once_and_writes_with_its_own_filters()
    {
        using var factory = Factory(LogLevel.Debug);
        var client = factory.CreateLogger("Reconciler.Platform.Client.AdminApiClient");
        var polly = factory.CreateLogger("Polly");

        client.IsEnabled(LogLevel.Trace).Should().BeFalse();
        client.IsEnabled(LogLevel.Debug).Should().BeTrue();
        polly.IsEnabled(LogLevel.Warning).Should().BeFalse("the pipeline's own filter still applies");
        client.LogTrace("below the minimum");
        client.LogDebug("GET agents -> 200");
        polly.LogWarning("a stack trace");
        client.Log(LogLevel.None, "never");

        _built.Should().Be(1);
        _logs.Should().Equal("Reconciler.Platform.Client.AdminApiClient: GET agents -> 200");
    }

    [Fact]
    public void Disposing_disposes_the_pipeline_when_it_was_built()
    {
        var provider = new ListProvider(_logs);
        // Made by the pipeline's service provider, as the console provider is, so the pipeline owns it.
        var factory = new DeferredLoggerFactory(LogLevel.Debug, logging => logging.Services.AddSingleton<ILoggerProvider>(_ => provider));

        factory.CreateLogger("x").LogDebug("one");
        factory.Dispose();

        provider.Disposed.Should().BeTrue();
    }

    private DeferredLoggerFactory Factory(LogLevel minimum) => new(minimum, logging =>
    {
        _built++;
        logging.AddFilter("Polly", LogLevel.None);
        logging.AddProvider(new ListProvider(_logs));
    });

    private sealed class ListProvider(List<string> logs) : ILoggerProvider
    {
        public bool Disposed { get; private set; }

        public ILogger CreateLogger(string categoryName) => new ListLogger(logs, categoryName);

        public void Dispose() => Disposed = true;
    }

    private sealed class ListLogger(List<string> logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Add($"{category}: {formatter(state, exception)}");
    }
}
