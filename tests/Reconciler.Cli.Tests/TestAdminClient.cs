using Microsoft.Extensions.DependencyInjection;
using Reconciler.Platform.Client;

namespace Reconciler.Cli.Tests;

/// <summary>The tests' own Admin API client, for looking at the platform the CLI under test wrote to, or writing to it "by hand".</summary>
internal static class TestAdminClient
{
    /// <summary>A client without a request ceiling and with short retry delays, so a test waits on the platform, not on its client.</summary>
    public static ServiceProvider Services(Uri baseUrl, string token)
    {
        var services = new ServiceCollection();
        services.AddAdminApiClient(options =>
        {
            options.BaseUrl = baseUrl;
            options.TokenProvider = new StaticTokenProvider(token);
            options.RequestsPerSecond = 0;
            options.BaseDelay = TimeSpan.FromMilliseconds(20);
        });
        return services.BuildServiceProvider();
    }
}
