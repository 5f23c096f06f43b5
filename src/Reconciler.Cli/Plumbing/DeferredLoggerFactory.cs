using Microsoft.Extensions.Logging;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// The client's loggers, with the logging pipeline (its service provider, options, filters and console provider) built
/// at the first message at or above <paramref name="minimum"/>. Without -v the client writes none, and building the
/// pipeline anyway cost a short run a tenth of its CPU in loading and JIT-compiling what it never used.
/// </summary>
internal sealed class DeferredLoggerFactory(LogLevel minimum, Action<ILoggingBuilder> configure) : ILoggerFactory
{
    private readonly Lazy<ILoggerFactory> _factory = new(() => LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(minimum);
        configure(logging);
    }));

    public ILogger CreateLogger(string categoryName) => new DeferredLogger(_factory, minimum, categoryName);

    public void AddProvider(ILoggerProvider provider) => _factory.Value.AddProvider(provider);

    public void Dispose()
    {
        if (_factory.IsValueCreated)
            _factory.Value.Dispose();
    }

    /// <summary>Below the minimum it answers without the pipeline; from it on, the pipeline's logger decides as it always did.</summary>
    private sealed class DeferredLogger(Lazy<ILoggerFactory> factory, LogLevel minimum, string category) : ILogger
    {
        private ILogger? _logger;

        private ILogger Logger => _logger ??= factory.Value.CreateLogger(category);

        public bool IsEnabled(LogLevel logLevel) => Passes(logLevel) && Logger.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Passes(logLevel))
                Logger.Log(logLevel, eventId, state, exception, formatter);
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => Logger.BeginScope(state);

        private bool Passes(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;
    }
}
