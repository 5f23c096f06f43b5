using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using V1DeleteOptions = k8s.Models.V1DeleteOptions;
using V1Patch = k8s.Models.V1Patch;
using V1Preconditions = k8s.Models.V1Preconditions;
using V1Status = k8s.Models.V1Status;
using Reconciler.Kubernetes.Configuration;
using Reconciler.Kubernetes.Models;
using IKubernetesObject = Reconciler.Kubernetes.Models.IKubernetesObject;

namespace Reconciler.Kubernetes;

/// <summary>
/// <see cref="IKubernetesClient"/> over the official KubernetesClient library: every call is one of its typed
/// custom-object operations (which also address core-group collections such as secrets), so authentication,
/// TLS, exec plugins and transport are the library's. Objects are read and written as JSON with this project's
/// <see cref="KubernetesJson.Options"/>. Keep one instance per process: watches hold their connection for minutes.
/// </summary>
public sealed class KubernetesClient : IKubernetesClient, IDisposable
{
    private readonly k8s.IKubernetes _api;
    private readonly bool _ownsApi;

    /// <summary>A client over an existing library client, which the caller keeps owning.</summary>
    public KubernetesClient(k8s.IKubernetes api)
        : this(api, ownsApi: false)
    {
    }

    private KubernetesClient(k8s.IKubernetes api, bool ownsApi)
    {
        ArgumentNullException.ThrowIfNull(api);
        _api = api;
        _ownsApi = ownsApi;
    }

    public k8s.IKubernetes Api => _api;

    /// <summary>A client that owns a library client built from <paramref name="connection"/>; <paramref name="time"/> runs the Retry-After waits.</summary>
    public static KubernetesClient Create(KubernetesConnection connection, KubernetesClientOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new KubernetesClientOptions();
        var configuration = connection.Configuration;
        configuration.UserAgent = options.UserAgent;
        configuration.HttpClientTimeout = options.RequestTimeout;
        TrustAuthoritiesWithFullValidation(configuration);
        CheckConnectionHealth(configuration, options);
        // Outermost first: as in client-go, each retry is counted and waits for a client-side token again.
        System.Net.Http.DelegatingHandler[] handlers = options.Qps > 0
            ? [new RetryAfterHandler(time), new RestClientMetricsHandler(), new ClientRateLimitHandler(options.Qps, options.Burst), new WatchConnectionHandler()]
            : [new RetryAfterHandler(time), new RestClientMetricsHandler(), new WatchConnectionHandler()];
        if (configuration.TokenProvider is RotatingTokenFile tokens)
        {
            handlers = [new TokenRefreshHandler(tokens), .. handlers];
        }

        try
        {
            return new KubernetesClient(new k8s.Kubernetes(configuration, handlers), ownsApi: true);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or System.Security.Cryptography.CryptographicException or IOException or FormatException)
        {
            // Client certificates are only parsed here.
            throw new KubernetesConfigurationException($"{connection.Source}: {KubernetesErrors.FirstLine(ex.Message)}", ex);
        }
    }

    /// <summary>
    /// The library checks a server certificate against the cluster CA in its own callback, which skips the host-name
    /// check (tls-server-name included) whenever the chain needed that CA. Handing the CA to .NET's validation as
    /// the only trust anchor keeps both checks; the library then installs no callback of its own.
    /// </summary>
    private static void TrustAuthoritiesWithFullValidation(k8s.KubernetesClientConfiguration configuration)
    {
        if (configuration.SkipTlsVerify || configuration.SslCaCerts is not { Count: > 0 } authorities)
        {
            return;
        }

        configuration.SslCaCerts = null;
        var setup = configuration.FirstMessageHandlerSetup;
        configuration.FirstMessageHandlerSetup = handler =>
        {
            setup?.Invoke(handler);
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(authorities);
            handler.SslOptions.CertificateChainPolicy = policy;
        };
    }

    /// <summary>
    /// Requests and watches share HTTP/2 connections, many streams to each. When the API server behind one vanishes without a reset (a
    /// node lost, a load balancer that forgets the connection) nothing tells the client: every request on it times out,
    /// the Lease cannot be renewed, watches hang. The library pings a quiet connection only after three minutes; client-go
    /// (k8s.io/apimachinery util/net) pings after 30 s and drops it when the ping is not answered within 15 s.
    /// </summary>
    private static void CheckConnectionHealth(k8s.KubernetesClientConfiguration configuration, KubernetesClientOptions options)
    {
        var setup = configuration.FirstMessageHandlerSetup;
        configuration.FirstMessageHandlerSetup = handler =>
        {
            setup?.Invoke(handler);
            handler.KeepAlivePingDelay = options.Http2ReadIdleTimeout;
            handler.KeepAlivePingTimeout = options.Http2PingTimeout;
            handler.KeepAlivePingPolicy = System.Net.Http.HttpKeepAlivePingPolicy.Always;
        };
    }

    public Task<T> GetAsync<T>(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var ns = Scope(type, @namespace, name);
        var ops = _api.CustomObjects;
        return CallAsync<T>("GET", type, ns, name, token => ns is null
            ? ops.GetClusterCustomObjectAsync<JsonElement>(type.Group, type.Version, type.Plural, name, token)
            : ops.GetNamespacedCustomObjectAsync<JsonElement>(type.Group, type.Version, ns, type.Plural, name, token), cancellationToken);
    }

    public async Task<Models.KubernetesList<T>> ListAsync<T>(ResourceType type, string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        var ns = Scope(type, @namespace, null);
        var ops = _api.CustomObjects;
        var node = await CallAsync<JsonObject>("LIST", type, ns, null, token =>
            !type.Namespaced
                ? ops.ListClusterCustomObjectAsync<JsonElement>(type.Group, type.Version, type.Plural, continueParameter: options?.Continue, labelSelector: options?.LabelSelector, limit: options?.Limit, cancellationToken: token)
                : ns is null
                    ? ops.ListCustomObjectForAllNamespacesAsync<JsonElement>(type.Group, type.Version, type.Plural, continueParameter: options?.Continue, labelSelector: options?.LabelSelector, limit: options?.Limit, cancellationToken: token)
                    : ops.ListNamespacedCustomObjectAsync<JsonElement>(type.Group, type.Version, ns, type.Plural, continueParameter: options?.Continue, labelSelector: options?.LabelSelector, limit: options?.Limit, cancellationToken: token),
            cancellationToken);

        // Built-in lists leave kind and apiVersion off their items; restore them so every object is self-describing.
        if (node["items"] is JsonArray items)
        {
            foreach (var item in items.OfType<JsonObject>())
            {
                item.TryAdd("apiVersion", type.ApiVersion);
                item.TryAdd("kind", type.Kind);
            }
        }

        return node.Deserialize<Models.KubernetesList<T>>(KubernetesJson.Options) ?? throw new JsonException("The list response was empty.");
    }

    public Task<T> CreateAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        var ns = NamespaceOf(type, obj);
        var body = ToJson(type, obj);
        var ops = _api.CustomObjects;
        return CallAsync<T>("POST", type, ns, null, token => ns is null
            ? ops.CreateClusterCustomObjectAsync<JsonElement>(body, type.Group, type.Version, type.Plural, cancellationToken: token)
            : ops.CreateNamespacedCustomObjectAsync<JsonElement>(body, type.Group, type.Version, ns, type.Plural, cancellationToken: token), cancellationToken);
    }

    public Task<T> ReplaceAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        var (ns, name, body) = ForReplace(type, obj);
        var ops = _api.CustomObjects;
        return CallAsync<T>("PUT", type, ns, name, token => ns is null
            ? ops.ReplaceClusterCustomObjectAsync<JsonElement>(body, type.Group, type.Version, type.Plural, name, cancellationToken: token)
            : ops.ReplaceNamespacedCustomObjectAsync<JsonElement>(body, type.Group, type.Version, ns, type.Plural, name, cancellationToken: token), cancellationToken);
    }

    public Task<T> ReplaceStatusAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        var (ns, name, body) = ForReplace(type, obj);
        var ops = _api.CustomObjects;
        return CallAsync<T>("PUT", type, ns, name + "/status", token => ns is null
            ? ops.ReplaceClusterCustomObjectStatusAsync<JsonElement>(body, type.Group, type.Version, type.Plural, name, cancellationToken: token)
            : ops.ReplaceNamespacedCustomObjectStatusAsync<JsonElement>(body, type.Group, type.Version, ns, type.Plural, name, cancellationToken: token), cancellationToken);
    }

    public Task<T> PatchAsync<T>(ResourceType type, string? @namespace, string name, JsonNode patch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        var (ns, body) = ForPatch(type, @namespace, name, patch);
        var ops = _api.CustomObjects;
        return CallAsync<T>("PATCH", type, ns, name, token => ns is null
            ? ops.PatchClusterCustomObjectAsync<JsonElement>(body, type.Group, type.Version, type.Plural, name, cancellationToken: token)
            : ops.PatchNamespacedCustomObjectAsync<JsonElement>(body, type.Group, type.Version, ns, type.Plural, name, cancellationToken: token), cancellationToken);
    }

    public Task<T> PatchStatusAsync<T>(ResourceType type, string? @namespace, string name, JsonNode patch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        var (ns, body) = ForPatch(type, @namespace, name, patch);
        var ops = _api.CustomObjects;
        return CallAsync<T>("PATCH", type, ns, name + "/status", token => ns is null
            ? ops.PatchClusterCustomObjectStatusAsync<JsonElement>(body, type.Group, type.Version, type.Plural, name, cancellationToken: token)
            : ops.PatchNamespacedCustomObjectStatusAsync<JsonElement>(body, type.Group, type.Version, ns, type.Plural, name, cancellationToken: token), cancellationToken);
    }

    public async Task DeleteAsync(ResourceType type, string? @namespace, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var ns = Scope(type, @namespace, name);
        var body = options is null ? null : new V1DeleteOptions
        {
            PropagationPolicy = options.PropagationPolicy,
            GracePeriodSeconds = options.GracePeriodSeconds,
            Preconditions = options.Preconditions is { } p ? new V1Preconditions { Uid = p.Uid, ResourceVersion = p.ResourceVersion } : null,
        };
        var ops = _api.CustomObjects;
        await CallAsync<JsonObject>("DELETE", type, ns, name, token => ns is null
            ? ops.DeleteClusterCustomObjectAsync<JsonElement>(type.Group, type.Version, type.Plural, name, body, cancellationToken: token)
            : ops.DeleteNamespacedCustomObjectAsync<JsonElement>(type.Group, type.Version, ns, type.Plural, name, body, cancellationToken: token), cancellationToken);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceType type, string? @namespace, WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        options ??= new WatchOptions();
        var ns = Scope(type, @namespace, null);
        int? timeoutSeconds = options.Timeout is { } timeout ? (int)Math.Ceiling(timeout.TotalSeconds) : null;
        var errors = new ConcurrentQueue<Exception>();

        // The library reports an ERROR event (a metav1.Status) through onError and reads on for the next line, which a
        // server holding the stream open may never send. An ERROR ends a watch (client-go's reflector stops the watch on
        // it and relists on 410), so the read is stopped at once and the error handed out.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnError(Exception error)
        {
            errors.Enqueue(error);
            ended.Cancel();
        }

        var token = ended.Token;
        var ops = _api.CustomObjects;
        var events = !type.Namespaced
            ? k8s.CustomObjectsOperationsExtensions.WatchListClusterCustomObjectAsync(ops, type.Group, type.Version, type.Plural, allowWatchBookmarks: options.AllowBookmarks, labelSelector: options.LabelSelector, resourceVersion: options.ResourceVersion, timeoutSeconds: timeoutSeconds, onError: OnError, cancellationToken: token)
            : ns is null
                ? k8s.CustomObjectsOperationsExtensions.WatchListCustomObjectForAllNamespacesAsync(ops, type.Group, type.Version, type.Plural, allowWatchBookmarks: options.AllowBookmarks, labelSelector: options.LabelSelector, resourceVersion: options.ResourceVersion, timeoutSeconds: timeoutSeconds, onError: OnError, cancellationToken: token)
                : k8s.CustomObjectsOperationsExtensions.WatchListNamespacedCustomObjectAsync(ops, type.Group, type.Version, ns, type.Plural, allowWatchBookmarks: options.AllowBookmarks, labelSelector: options.LabelSelector, resourceVersion: options.ResourceVersion, timeoutSeconds: timeoutSeconds, onError: OnError, cancellationToken: token);

        await using var enumerator = events.GetAsyncEnumerator(token);
        while (true)
        {
            (k8s.WatchEventType Type, object Object) current;
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    break;
                }

                current = enumerator.Current;
            }
            catch (Exception) when (!errors.IsEmpty && ended.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Stopped by an ERROR event (the read ends as cancelled): handed out below.
                break;
            }
            catch (HttpRequestException ex) when (ex.InnerException is EndOfStreamException)
            {
                // The library waits for the first line before it hands out the stream; a watch the server ends
                // without any event (its timeout, a restart) surfaces as this, and is a normal end.
                break;
            }
            catch (Exception ex) when (Translate(ex, "WATCH", type, ns, null, cancellationToken) is { } translated)
            {
                throw translated;
            }

            var change = ToWatchEvent<T>(current.Type, current.Object);
            yield return change;
            if (change.Type == WatchEventType.Error)
            {
                yield break;
            }
        }

        while (errors.TryDequeue(out var error))
        {
            yield return ToErrorEvent<T>(error);
        }
    }

    public void Dispose()
    {
        if (_ownsApi)
        {
            _api.Dispose();
        }
    }

    private static WatchEvent<T> ToWatchEvent<T>(k8s.WatchEventType type, object obj)
        where T : class, IKubernetesObject
    {
        var element = obj is JsonElement json ? json : JsonSerializer.SerializeToElement(obj, obj.GetType(), KubernetesJson.Options);
        if (type == k8s.WatchEventType.Error)
        {
            // The library hands an ERROR to onError only when its object says kind: Status; one without kind is the
            // same failure, and read as a T it would throw, so the watch would be retried from the same version forever.
            return new WatchEvent<T>(WatchEventType.Error, null, element.Deserialize<KubernetesStatus>(KubernetesJson.Options) ?? throw new JsonException("An ERROR watch event has no status."));
        }

        var mapped = type switch
        {
            k8s.WatchEventType.Added => WatchEventType.Added,
            k8s.WatchEventType.Modified => WatchEventType.Modified,
            k8s.WatchEventType.Deleted => WatchEventType.Deleted,
            k8s.WatchEventType.Bookmark => WatchEventType.Bookmark,
            _ => throw new JsonException($"Unknown watch event type '{type}'."),
        };
        return new WatchEvent<T>(mapped, element.Deserialize<T>(KubernetesJson.Options) ?? throw new JsonException($"A {type} watch event has no object."));
    }

    private static WatchEvent<T> ToErrorEvent<T>(Exception error)
        where T : class, IKubernetesObject =>
        error is k8s.KubernetesException { Status: { } status }
            ? new WatchEvent<T>(WatchEventType.Error, null, ToStatus(status))
            : throw new JsonException($"The watch stream could not be read: {error.Message}", error);

    private static KubernetesStatus ToStatus(V1Status status) => new()
    {
        Status = status.Status,
        Message = status.Message,
        Reason = status.Reason,
        Code = status.Code ?? 0,
        Details = status.Details is { } details
            ? new StatusDetails
            {
                Name = details.Name,
                Group = details.Group,
                Kind = details.Kind,
                Uid = details.Uid,
                RetryAfterSeconds = details.RetryAfterSeconds,
                Causes = details.Causes?.Select(c => new StatusCause { Reason = c.Reason, Message = c.Message, Field = c.Field }).ToList(),
            }
            : null,
    };

    private static string? Scope(ResourceType type, string? @namespace, string? name)
    {
        if (!type.Namespaced && @namespace is not null)
        {
            throw new ArgumentException($"{type.QualifiedName} is cluster-scoped; no namespace may be given.", nameof(@namespace));
        }

        if (type.Namespaced && @namespace is null && name is not null)
        {
            throw new ArgumentException($"{type.QualifiedName} is namespaced; a namespace is required to address \"{name}\".", nameof(@namespace));
        }

        return @namespace;
    }

    private static string? NamespaceOf(ResourceType type, IKubernetesObject obj) =>
        !type.Namespaced ? null
        : obj.Metadata.Namespace ?? throw new ArgumentException($"metadata.namespace is required for the namespaced {type.QualifiedName}.", nameof(obj));

    private static (string? Namespace, string Name, JsonObject Body) ForReplace<T>(ResourceType type, T obj)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        var name = obj.Metadata.Name ?? throw new ArgumentException("metadata.name is required to replace an object.", nameof(obj));
        return (NamespaceOf(type, obj), name, ToJson(type, obj));
    }

    private static (string? Namespace, V1Patch Body) ForPatch(ResourceType type, string? @namespace, string name, JsonNode patch)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(patch);
        return (Scope(type, @namespace, name), new V1Patch(patch.ToJsonString(KubernetesJson.Options), V1Patch.PatchType.MergePatch));
    }

    private static JsonObject ToJson<T>(ResourceType type, T obj)
    {
        var node = JsonSerializer.SerializeToNode(obj, KubernetesJson.Options) as JsonObject ?? throw new ArgumentException("The object must serialize to a JSON object.", nameof(obj));
        if (string.IsNullOrEmpty(node["apiVersion"]?.GetValue<string>()))
        {
            node["apiVersion"] = type.ApiVersion;
        }

        if (string.IsNullOrEmpty(node["kind"]?.GetValue<string>()))
        {
            node["kind"] = type.Kind;
        }

        return node;
    }

    /// <summary>Runs one library call and reads its JSON body with this project's conventions; failures become <see cref="KubernetesApiException"/> or <see cref="TimeoutException"/>.</summary>
    private static async Task<T> CallAsync<T>(string verb, ResourceType type, string? @namespace, string? name, Func<CancellationToken, Task<JsonElement>> call, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            body = await call(cancellationToken);
        }
        catch (Exception ex) when (Translate(ex, verb, type, @namespace, name, cancellationToken) is { } translated)
        {
            throw translated;
        }

        return body.Deserialize<T>(KubernetesJson.Options) ?? throw new JsonException($"{verb} {Describe(type, @namespace, name)} returned an empty body.");
    }

    private static Exception? Translate(Exception ex, string verb, ResourceType type, string? @namespace, string? name, CancellationToken cancellationToken)
    {
        switch (ex)
        {
            case HttpOperationException http when http.Response is { } response:
                KubernetesStatus? status = null;
                try
                {
                    status = JsonSerializer.Deserialize<KubernetesStatus>(response.Content ?? "", KubernetesJson.Options);
                }
                catch (JsonException)
                {
                    // Not every failure comes from the API server itself (proxies, load balancers); keep the raw body.
                }

                var code = (int)response.StatusCode;
                var detail = status?.Message is { Length: > 0 } message ? message : Truncate(response.Content ?? "");
                var reason = status?.Reason is { Length: > 0 } r ? $" ({r})" : "";
                return new KubernetesApiException(response.StatusCode, status, $"{verb} {Describe(type, @namespace, name)} failed: {code} {(HttpStatusCode)code}{reason}: {detail}")
                {
                    RetryAfter = RetryAfter(response, status),
                };
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                return new TimeoutException($"{verb} {Describe(type, @namespace, name)} did not complete in time.", ex);
            default:
                return null;
        }
    }

    /// <summary>The API server states the wait both as the Retry-After header (delta-seconds) and in the Status it sends.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessageWrapper response, KubernetesStatus? status)
    {
        if (response.Headers.TryGetValue("Retry-After", out var values)
            && int.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var header)
            && header > 0)
        {
            return TimeSpan.FromSeconds(header);
        }

        return status?.Details?.RetryAfterSeconds is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null;
    }

    private static string Describe(ResourceType type, string? @namespace, string? name) =>
        type.QualifiedName + (@namespace is null ? "" : $" in {@namespace}") + (name is null ? "" : $" {name}");

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
