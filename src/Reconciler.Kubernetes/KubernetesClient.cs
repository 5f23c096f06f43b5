using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Reconciler.Kubernetes.Configuration;
using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes;

/// <summary>
/// <see cref="IKubernetesClient"/> over HTTP/JSON. Keep one instance per process: watches hold their
/// connection for minutes, which the short handler lifetimes of IHttpClientFactory would cut.
/// </summary>
public sealed class KubernetesClient : IKubernetesClient, IDisposable
{
    private const string JsonMediaType = "application/json";
    private const string MergePatchMediaType = "application/merge-patch+json";

    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;
    private readonly Uri _server;
    private readonly KubernetesClientOptions _options;
    private readonly TokenBucketRateLimiter? _throttle;

    /// <summary>
    /// A client over <paramref name="httpClient"/>, whose BaseAddress is the API server URL (a path prefix is kept)
    /// and whose handlers do the authentication. Give it an infinite Timeout: watches stream for minutes, and
    /// <see cref="KubernetesClientOptions.RequestTimeout"/> bounds everything else.
    /// </summary>
    public KubernetesClient(HttpClient httpClient, KubernetesClientOptions? options = null)
        : this(httpClient, ownsHttpClient: false, options)
    {
    }

    private KubernetesClient(HttpClient httpClient, bool ownsHttpClient, KubernetesClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _server = httpClient.BaseAddress ?? throw new ArgumentException("The HttpClient needs a BaseAddress: the API server URL.", nameof(httpClient));
        _http = httpClient;
        _ownsHttpClient = ownsHttpClient;
        _options = options ?? new KubernetesClientOptions();
        if (_options.Qps > 0)
        {
            // One token per 1/QPS seconds, as client-go's token bucket; requests queue rather than fail.
            _throttle = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, _options.Burst),
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1 / _options.Qps),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
    }

    /// <summary>A client that owns an HttpClient built from <paramref name="configuration"/>.</summary>
    public static KubernetesClient Create(KubernetesClientConfiguration configuration, KubernetesClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        options ??= new KubernetesClientOptions();
        var http = new HttpClient(configuration.CreateHttpMessageHandler(), disposeHandler: true)
        {
            BaseAddress = configuration.Server,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        return new KubernetesClient(http, ownsHttpClient: true, options);
    }

    public Task<T> GetAsync<T>(ResourceType type, string? @namespace, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return SendAsync<T>(HttpMethod.Get, type.GetPath(@namespace, name), null, null, cancellationToken);
    }

    public async Task<KubernetesList<T>> ListAsync<T>(ResourceType type, string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        var query = new QueryBuilder()
            .Add("labelSelector", options?.LabelSelector)
            .Add("limit", options?.Limit?.ToString(CultureInfo.InvariantCulture))
            .Add("continue", options?.Continue);
        var node = await SendAsync<JsonObject>(HttpMethod.Get, type.GetPath(@namespace) + query, null, null, cancellationToken);

        // Built-in lists leave kind and apiVersion off their items; restore them so every object is self-describing.
        if (node["items"] is JsonArray items)
        {
            foreach (var item in items.OfType<JsonObject>())
            {
                item.TryAdd("apiVersion", type.ApiVersion);
                item.TryAdd("kind", type.Kind);
            }
        }

        return node.Deserialize<KubernetesList<T>>(KubernetesJson.Options) ?? throw new JsonException("The list response was empty.");
    }

    public Task<T> CreateAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        return SendAsync<T>(HttpMethod.Post, type.GetPath(NamespaceOf(type, obj)), ToJson(type, obj), JsonMediaType, cancellationToken);
    }

    public Task<T> ReplaceAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject =>
        Replace(type, obj, subresource: null, cancellationToken);

    public Task<T> ReplaceStatusAsync<T>(ResourceType type, T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject =>
        Replace(type, obj, subresource: "status", cancellationToken);

    public Task<T> PatchAsync<T>(ResourceType type, string? @namespace, string name, JsonNode patch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(patch);
        return SendAsync<T>(HttpMethod.Patch, type.GetPath(@namespace, name), patch, MergePatchMediaType, cancellationToken);
    }

    public Task<T> PatchStatusAsync<T>(ResourceType type, string? @namespace, string name, JsonNode patch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(patch);
        return SendAsync<T>(HttpMethod.Patch, type.GetPath(@namespace, name, "status"), patch, MergePatchMediaType, cancellationToken);
    }

    public async Task DeleteAsync(ResourceType type, string? @namespace, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var body = options is null ? null : JsonSerializer.SerializeToNode(options, KubernetesJson.Options);
        await SendAsync<JsonObject>(HttpMethod.Delete, type.GetPath(@namespace, name), body, JsonMediaType, cancellationToken);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(ResourceType type, string? @namespace, WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        options ??= new WatchOptions();
        var query = new QueryBuilder()
            .Add("watch", "1")
            .Add("resourceVersion", options.ResourceVersion)
            .Add("allowWatchBookmarks", options.AllowBookmarks ? "true" : null)
            .Add("timeoutSeconds", options.Timeout is { } timeout ? ((long)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : null)
            .Add("labelSelector", options.LabelSelector);

        using var response = await SendForResponseAsync(HttpMethod.Get, type.GetPath(@namespace) + query, null, null, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return ParseWatchEvent<T>(line);
            }
        }
    }

    public void Dispose()
    {
        _throttle?.Dispose();
        if (_ownsHttpClient)
        {
            _http.Dispose();
        }
    }

    internal static WatchEvent<T> ParseWatchEvent<T>(string line)
        where T : class, IKubernetesObject
    {
        var node = JsonNode.Parse(line) as JsonObject ?? throw new JsonException($"A watch event must be a JSON object: {Truncate(line)}");
        var typeName = node["type"]?.GetValue<string>() ?? throw new JsonException($"A watch event has no type: {Truncate(line)}");
        var type = typeName switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            _ => throw new JsonException($"Unknown watch event type '{typeName}'."),
        };
        var obj = node["object"];
        return type == WatchEventType.Error
            ? new WatchEvent<T>(type, null, obj.Deserialize<KubernetesStatus>(KubernetesJson.Options))
            : new WatchEvent<T>(type, obj.Deserialize<T>(KubernetesJson.Options) ?? throw new JsonException($"A {typeName} watch event has no object."));
    }

    private Task<T> Replace<T>(ResourceType type, T obj, string? subresource, CancellationToken cancellationToken)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        var name = obj.Metadata.Name ?? throw new ArgumentException("metadata.name is required to replace an object.", nameof(obj));
        return SendAsync<T>(HttpMethod.Put, type.GetPath(NamespaceOf(type, obj), name, subresource), ToJson(type, obj), JsonMediaType, cancellationToken);
    }

    private static string? NamespaceOf(ResourceType type, IKubernetesObject obj) =>
        !type.Namespaced ? null
        : obj.Metadata.Namespace ?? throw new ArgumentException($"metadata.namespace is required for the namespaced {type.QualifiedName}.", nameof(obj));

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

    private async Task<T> SendAsync<T>(HttpMethod method, string path, JsonNode? body, string? mediaType, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await SendForResponseAsync(method, path, body, mediaType, timeout.Token);
            var result = await response.Content.ReadFromJsonAsync<T>(KubernetesJson.Options, timeout.Token);
            return result ?? throw new JsonException($"{method} {path} returned an empty body.");
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {path} did not complete within {_options.RequestTimeout.TotalSeconds:0.#}s.", ex);
        }
    }

    /// <summary>Sends and checks the status; only the wait for response headers is bounded by the request timeout.</summary>
    private async Task<HttpResponseMessage> SendForResponseAsync(HttpMethod method, string path, JsonNode? body, string? mediaType, CancellationToken cancellationToken)
    {
        if (_throttle is not null)
        {
            using var lease = await _throttle.AcquireAsync(1, cancellationToken);
        }

        using var request = new HttpRequestMessage(method, new Uri(_server.AbsoluteUri.TrimEnd('/') + "/" + path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(JsonMediaType));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(KubernetesJson.Options), Encoding.UTF8, mediaType ?? JsonMediaType);
        }

        HttpResponseMessage response;
        using (var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            headersTimeout.CancelAfter(_options.RequestTimeout);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headersTimeout.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{method} {path} got no response within {_options.RequestTimeout.TotalSeconds:0.#}s.", ex);
            }
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await CreateExceptionAsync(method, path, response, cancellationToken);
        }
    }

    private static async Task<KubernetesApiException> CreateExceptionAsync(HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        KubernetesStatus? status = null;
        try
        {
            status = JsonSerializer.Deserialize<KubernetesStatus>(text, KubernetesJson.Options);
        }
        catch (JsonException)
        {
            // Not every failure comes from the API server itself (proxies, load balancers); keep the raw body.
        }

        var code = (int)response.StatusCode;
        var detail = status?.Message is { Length: > 0 } message ? message : Truncate(text);
        var reason = status?.Reason is { Length: > 0 } r ? $" ({r})" : "";
        return new KubernetesApiException(response.StatusCode, status, $"{method} /{StripQuery(path)} failed: {code} {(HttpStatusCode)code}{reason}: {detail}");
    }

    private static string StripQuery(string path) => path.Split('?')[0];

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "…";

    private sealed class QueryBuilder
    {
        private readonly StringBuilder _query = new();

        public QueryBuilder Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                _query.Append(_query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }

            return this;
        }

        public override string ToString() => _query.ToString();
    }
}
