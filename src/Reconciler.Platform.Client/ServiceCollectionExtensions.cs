using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Reconciler.Core.Platform;

namespace Reconciler.Platform.Client;

/// <summary>Registers the Admin API client as the engine's <see cref="IPlatformClient"/>.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Adds the typed client over IHttpClientFactory; the options are validated here, at start.</summary>
    public static IServiceCollection AddAdminApiClient(this IServiceCollection services, Action<AdminApiClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var probe = new AdminApiClientOptions();
        configure(probe);
        AdminApiClientOptionsValidator.ThrowIfInvalid(probe);

        services.AddOptions<AdminApiClientOptions>().Configure(configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminApiClientOptions>, AdminApiClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PlatformClientMetrics>();
        services.TryAddSingleton<AdminApiResilience>();
        services.AddLogging();
        services.AddHttpClient<IPlatformClient, AdminApiClient>()
            .ConfigurePrimaryHttpMessageHandler(() => AdminApiClient.CreateHandler(probe));
        return services;
    }
}
