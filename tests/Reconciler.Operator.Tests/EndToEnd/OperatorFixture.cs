global using CustomResource = Reconciler.Kubernetes.Models.KubernetesObject<System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject>;

using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Core.Manifests;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Models;
using Reconciler.Kubernetes.Tests.Fakes;
using Reconciler.Operator.Hosting;
using Reconciler.Operator.Kinds;
using Reconciler.Platform;
using Reconciler.Platform.Client;
using Reconciler.Platform.Contract;

namespace Reconciler.Operator.Tests.EndToEnd;

/// <summary>A fake API server, the real reference platform over HTTP, and operators started in-process against both.</summary>
public sealed class OperatorFixture : IAsyncDisposable
{
    public const string Namespace = "acme";
    public const string OperatorToken = "operator-token-0123456789";
    public const string HumanToken = "alice-token-0123456789";

    /// <summary>The identity provider's provisioning token: its writes are audited as actor scim.</summary>
    public const string ScimToken = "scim-token-0123456789";

    /// <summary>A token with admin:read only: the platform refuses its writes with 403.</summary>
    public const string ReaderToken = "reader-token-0123456789";

    private readonly string _databasePath;
    private readonly List<(OperatorHost Host, CancellationTokenSource Stop, Task Run)> _operators = [];

    private OperatorFixture(FakeKubernetesApiServer kube, RunningPlatform platform, string databasePath)
    {
        Kube = kube;
        Platform = platform;
        _databasePath = databasePath;
        Client = kube.CreateClient(new KubernetesClientOptions { Qps = 0 });
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddAdminApiClient(o =>
        {
            o.BaseUrl = platform.BaseUrl;
            o.TokenProvider = new StaticTokenProvider(HumanToken);
            o.RequestsPerSecond = 0;
        });
        Human = services.BuildServiceProvider().GetRequiredService<IPlatformClient>();
        var scim = new ServiceCollection();
        scim.AddSingleton(TimeProvider.System);
        scim.AddAdminApiClient(o =>
        {
            o.BaseUrl = platform.BaseUrl;
            o.TokenProvider = new StaticTokenProvider(ScimToken);
            o.RequestsPerSecond = 0;
        });
        Scim = scim.BuildServiceProvider().GetRequiredService<IPlatformClient>();
    }

    /// <summary>The identity provider, provisioning agents with its own token (audited as scim).</summary>
    public IPlatformClient Scim { get; }

    public FakeKubernetesApiServer Kube { get; }

    public RunningPlatform Platform { get; }

    public KubernetesClient Client { get; }

    /// <summary>The reference platform's SQLite file, for tests that play the platform's retention.</summary>
    public string DatabasePath => _databasePath;

    /// <summary>A person with their own token, changing the platform by hand (drift).</summary>
    public IPlatformClient Human { get; }

    public static async Task<OperatorFixture> StartAsync(FakeKubernetesApiServerOptions? kubeOptions = null)
    {
        var kube = await FakeKubernetesApiServer.StartAsync((kubeOptions ?? new FakeKubernetesApiServerOptions()) with { BearerToken = "t" });
        foreach (var kind in ResourceCatalog.Kinds)
            kube.RegisterCustomResource(OperatorKinds.TypeOf(kind), hasStatusSubresource: true);
        var database = Path.Combine(Path.GetTempPath(), $"reconciler-operator-{Guid.NewGuid():N}.db");
        var platform = await PlatformServer.StartAsync(new PlatformServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            Database = DatabaseOptions.Parse(database),
            Tokens = [PlatformToken.Admin("reconciler-operator", OperatorToken), PlatformToken.Admin("alice", HumanToken), PlatformToken.Admin("scim", ScimToken), new PlatformToken("reader", ReaderToken, [AdminApi.ReadScope])],
        });
        return new OperatorFixture(kube, platform, database);
    }

    /// <summary>An operator watching <paramref name="namespaces"/> (default: <see cref="Namespace"/> only), its Lease in <see cref="Namespace"/>.</summary>
    public OperatorHost StartOperator(string identity = "op-1", bool leaderElection = false, TimeSpan? leaseDuration = null, TimeProvider? time = null, IReadOnlyList<string>? namespaces = null)
    {
        var options = new OperatorOptions
        {
            MetricsAddress = "http://127.0.0.1:0",
            HealthAddress = "http://127.0.0.1:0",
            LeaderElection = leaderElection,
            LeaseNamespace = Namespace,
            Identity = identity,
            ResyncInterval = TimeSpan.FromMinutes(10),
            WatchBackoff = TimeSpan.FromMilliseconds(50),
            LeaseDuration = leaseDuration ?? TimeSpan.FromSeconds(3),
            RenewDeadline = (leaseDuration ?? TimeSpan.FromSeconds(3)) * 0.66,
            RetryPeriod = TimeSpan.FromMilliseconds(300),
        };
        foreach (var ns in namespaces ?? [Namespace])
            options.Namespaces.Add(ns);
        var host = new OperatorHost(Kube.CreateClient(new KubernetesClientOptions { Qps = 0 }), options, NullLoggerFactory.Instance, time);
        var stop = new CancellationTokenSource();
        _operators.Add((host, stop, Task.Run(() => host.RunAsync(stop.Token))));
        return host;
    }

    public async Task StopOperatorAsync(OperatorHost host)
    {
        var entry = _operators.Single(o => o.Host == host);
        await entry.Stop.CancelAsync();
        await entry.Run.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>The example organisation as custom resources, its Secrets, and a PlatformConnection to the reference platform.</summary>
    public async Task<IReadOnlyList<Resource>> CreateExampleOrganisationAsync(string resyncInterval = "2s", DriftPolicy driftPolicy = DriftPolicy.Correct)
    {
        await CreateSecretAsync("reconciler-platform-token", "token", OperatorToken);
        foreach (var sso in new[] { "sso-okta", "sso-google", "sso-microsoft" })
            await CreateSecretAsync(sso, "clientSecret", $"{sso}-secret-v1");
        await CreateSecretAsync("telegram-support-bot", "token", "telegram-token-v1");
        await CreateSecretAsync("firebase-push", "serviceAccountKey", "firebase-key-v1");

        var set = ManifestLoader.Load([Path.Combine(RepositoryRoot(), "examples", "acme-support")]);
        set.Diagnostics.Where(d => d.IsError).Should().BeEmpty();
        foreach (var resource in set.Resources)
        {
            var spec = resource is PlatformConnection connection
                ? connection.Spec with { Url = Platform.BaseUrl.AbsoluteUri, ResyncInterval = resyncInterval, DriftPolicy = driftPolicy, RequestsPerSecond = 1000 }
                : resource.SpecObject;
            await CreateAsync(resource.Kind, resource.Metadata.Name, JsonSerializer.SerializeToNode(spec, spec.GetType(), KubernetesJson.Options)!.AsObject());
        }

        return set.Resources;
    }

    /// <summary>The operator's token Secret and a PlatformConnection to the reference platform at 1000 requests/s; <paramref name="settings"/> adds spec fields.</summary>
    public async Task ConnectAsync(JsonObject? settings = null, string @namespace = Namespace)
    {
        await CreateSecretAsync("reconciler-platform-token", "token", OperatorToken, @namespace);
        var spec = new JsonObject
        {
            ["url"] = Platform.BaseUrl.AbsoluteUri,
            ["tokenSecretRef"] = new JsonObject { ["name"] = "reconciler-platform-token", ["key"] = "token" },
            ["requestsPerSecond"] = 1000,
        };
        foreach (var (name, value) in settings ?? [])
            spec[name] = value?.DeepClone();
        await CreateAsync("PlatformConnection", "platform", spec, @namespace: @namespace);
    }

    public Task<CustomResource> CreateAsync(string kind, string name, JsonObject spec, IReadOnlyDictionary<string, string>? annotations = null, string @namespace = Namespace) =>
        Client.CreateAsync(OperatorKinds.TypeOf(kind), new CustomResource
        {
            Metadata = new Reconciler.Kubernetes.Models.ObjectMeta { Name = name, Namespace = @namespace, Annotations = annotations },
            Spec = spec,
        });

    public Task<Secret> CreateSecretAsync(string name, string key, string value, string @namespace = Namespace) =>
        Client.CreateAsync(ResourceType.Secrets, new Secret
        {
            Metadata = new Reconciler.Kubernetes.Models.ObjectMeta { Name = name, Namespace = @namespace },
            Data = new Dictionary<string, byte[]> { [key] = Encoding.UTF8.GetBytes(value) },
        });

    public Task<CustomResource> GetAsync(string kind, string name, string @namespace = Namespace) =>
        Client.GetAsync<CustomResource>(OperatorKinds.TypeOf(kind), @namespace, name);

    public Task<CustomResource> PatchSpecAsync(string kind, string name, JsonObject spec) =>
        Client.PatchAsync<CustomResource>(OperatorKinds.TypeOf(kind), Namespace, name, new JsonObject { ["spec"] = spec });

    public Task<CustomResource> AnnotateAsync(string kind, string name, string annotation, string? value) =>
        Client.PatchAsync<CustomResource>(OperatorKinds.TypeOf(kind), Namespace, name, new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [annotation] = value } } });

    public static string? Condition(CustomResource resource, string type, out string? reason)
    {
        var condition = (resource.Status?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
        reason = condition?["reason"]?.GetValue<string>();
        return condition?["status"]?.GetValue<string>();
    }

    public static bool IsSynced(CustomResource resource) =>
        Condition(resource, "Ready", out _) == "True" && Condition(resource, "Synced", out _) == "True"
        && resource.Status?["id"] is not null && resource.Status?["observedGeneration"]?.GetValue<long>() == resource.Metadata.Generation;

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                if (await condition())
                    return;
            }
            catch (KubernetesApiException) when (watch.Elapsed < limit)
            {
                // Not there yet.
            }

            if (watch.Elapsed > limit)
                throw new TimeoutException($"timed out after {limit.TotalSeconds:0}s waiting for {what}");
            await Task.Delay(50);
        }
    }

    public async Task WaitForAllSyncedAsync(IEnumerable<Resource> resources, TimeSpan? timeout = null)
    {
        var pending = resources.Where(r => r is not PlatformConnection).ToList();
        await EventuallyAsync(async () =>
        {
            foreach (var r in pending)
            {
                if (!IsSynced(await GetAsync(r.Kind, r.Metadata.Name)))
                    return false;
            }

            return true;
        }, "every resource Ready and Synced", timeout ?? TimeSpan.FromSeconds(45));
    }

    public async Task<IReadOnlyList<AuditRecord>> AuditAsync()
    {
        var result = await Human.ListAuditEventsAsync(new AuditQuery(), CancellationToken.None);
        return result.Value!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (host, stop, run) in _operators)
        {
            await stop.CancelAsync();
            await Task.WhenAny(run, Task.Delay(10_000));
            await host.DisposeAsync();
            stop.Dispose();
        }

        Client.Dispose();
        await Platform.DisposeAsync();
        await Kube.DisposeAsync();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_databasePath) + "*"))
            File.Delete(file);
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "examples", "acme-support")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("examples/acme-support not found above the test binaries");
    }
}
