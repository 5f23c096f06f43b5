using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reconciler.Core.Platform;

namespace Reconciler.Platform.Client.Tests;

/// <summary>Builds the client the way dependency-injection hosts do (AddAdminApiClient), capturing its logs.</summary>
internal sealed class ClientFactory : IDisposable
{
    private readonly ServiceProvider _services;

    public ClientFactory(Uri baseUrl, string token, Action<AdminApiClientOptions>? configure = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(Logs)));
        collection.AddAdminApiClient(options =>
        {
            options.BaseUrl = baseUrl;
            options.TokenProvider = new StaticTokenProvider(token);
            options.RequestsPerSecond = 0;
            options.BaseDelay = TimeSpan.FromMilliseconds(10);
            options.MaxDelay = TimeSpan.FromSeconds(3);
            configure?.Invoke(options);
        });
        _services = collection.BuildServiceProvider();
    }

    public List<string> Logs { get; } = [];

    public IPlatformClient Client => _services.GetRequiredService<IPlatformClient>();

    public void Dispose() => _services.Dispose();

    private sealed class ListLoggerProvider(List<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(logs);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(List<string> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (logs)
                logs.Add(formatter(state, exception));
        }
    }
}
