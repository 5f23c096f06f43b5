using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Reconciler.Cli.Plumbing;
using Reconciler.Operator.Hosting;

namespace Reconciler.Cli.Commands;

/// <summary><c>reconciler operator</c>: runs the Kubernetes operator until interrupted.</summary>
public static class OperatorCommand
{
    private const string Description = "Run the Kubernetes operator: watch the custom resources and make the platform match them.";

    public static Command Create() => NativeBuild.HasReflectionCommands
        ? Operator()
        : NativeBuild.Without("operator", Description, "run the container image (ghcr.io/reconciler/reconciler, the Helm chart's default) or the .NET tool package");

    private static Command Operator()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path of a kubeconfig; default KUBECONFIG, in-cluster, then ~/.kube/config." };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context; default the current one." };
        var namespaces = new Option<string[]>("--namespace", "-n") { Description = "Namespace to watch (repeatable); default all.", AllowMultipleArgumentsPerToken = false };
        var metrics = new Option<string>("--metrics-address") { Description = "Where /metrics listens.", DefaultValueFactory = _ => "http://0.0.0.0:8080" };
        var health = new Option<string>("--health-address") { Description = "Where /healthz and /readyz listen.", DefaultValueFactory = _ => "http://0.0.0.0:8081" };
        var leaderElection = new Option<bool>("--leader-election") { Description = "Reconcile only while holding the Lease.", DefaultValueFactory = _ => true };
        var leaseName = new Option<string>("--lease-name") { Description = "Name of the Lease.", DefaultValueFactory = _ => "reconciler-operator" };
        var leaseNamespace = new Option<string?>("--lease-namespace") { Description = "Namespace of the Lease; default the configuration's namespace." };
        var identity = new Option<string?>("--identity") { Description = "This replica's identity in the Lease and in its events; default the host name, '_' and a random UUID." };
        var qps = new Option<double>("--kube-api-qps") { Description = "Client-side limit of API server requests per second; default 0: none, the API server's Priority and Fairness decides." };
        var burst = new Option<int>("--kube-api-burst") { Description = "Requests allowed above --kube-api-qps in a burst; default the QPS rounded up." };

        qps.Number();
        burst.Number();

        var command = new Command("operator", Description)
        {
            kubeconfig, context, namespaces, metrics, health, leaderElection, leaseName, leaseNamespace, identity, qps, burst,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new OperatorOptions
            {
                Kubeconfig = parseResult.GetValue(kubeconfig),
                Context = parseResult.GetValue(context),
                MetricsAddress = parseResult.GetValue(metrics)!,
                HealthAddress = parseResult.GetValue(health)!,
                LeaderElection = parseResult.GetValue(leaderElection),
                LeaseName = parseResult.GetValue(leaseName)!,
                LeaseNamespace = parseResult.GetValue(leaseNamespace),
                KubeApiQps = parseResult.GetValue(qps),
                KubeApiBurst = parseResult.GetValue(burst),
            };
            if (parseResult.GetValue(identity) is { } given)
                options.Identity = given;
            foreach (var ns in parseResult.GetValue(namespaces) ?? [])
                options.Namespaces.Add(ns);
            using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));

            // SIGTERM (a pod being stopped) and Ctrl+C end the run gracefully: workers stop, the lease is released, exit 0.
            // Observed: the token System.CommandLine passes was never cancelled on SIGTERM in this command (the process
            // hung), so the operator listens for the signals itself. OperatorProcessTests covers this.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var signals = RegisterStopSignals(stop);
            return await OperatorRunner.RunAsync(options, loggerFactory, parseResult.InvocationConfiguration.Error, stop.Token);
        });
        return command;
    }

    private static CompositeDisposable RegisterStopSignals(CancellationTokenSource stop)
    {
        void Stop(PosixSignalContext context)
        {
            // Cancel the default action (terminate now): the run ends on its own once the workers have stopped.
            context.Cancel = true;
            stop.Cancel();
        }

        if (OperatingSystem.IsBrowser() || OperatingSystem.IsWasi() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS())
            return new CompositeDisposable([]);
        return new CompositeDisposable(
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop),
        ]);
    }

    private sealed class CompositeDisposable(IReadOnlyList<IDisposable> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
                item.Dispose();
        }
    }
}
