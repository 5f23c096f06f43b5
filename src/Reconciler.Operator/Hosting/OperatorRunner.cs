using Microsoft.Extensions.Logging;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Configuration;

namespace Reconciler.Operator.Hosting;

/// <summary>The operator's entry: loads the cluster configuration, then runs an <see cref="OperatorHost"/> until cancelled.</summary>
public static class OperatorRunner
{
    /// <summary>Returns the process exit code; configuration problems are reported as one line, not a stack trace.</summary>
    public static async Task<int> RunAsync(OperatorOptions options, ILoggerFactory loggerFactory, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(error);
        var problems = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), problems, validateAllProperties: true))
        {
            await error.WriteLineAsync("error: " + string.Join("; ", problems.Select(p => p.ErrorMessage)));
            return 2;
        }

        KubernetesClient client;
        try
        {
            var connection = KubernetesConnection.Load(new KubernetesConfigurationSources { KubeconfigPath = options.Kubeconfig, Context = options.Context });
            options.LeaseNamespace ??= connection.Namespace;
            client = KubernetesClient.Create(connection, new KubernetesClientOptions { Qps = options.KubeApiQps, Burst = options.KubeApiBurst });
        }
        catch (KubernetesConfigurationException e)
        {
            await error.WriteLineAsync($"error: no usable cluster configuration: {e.Message}");
            return 1;
        }

        using var owned = client;
        await using var host = new OperatorHost(client, options, loggerFactory);
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM.
        }

        return 0;
    }
}
