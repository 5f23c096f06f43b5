using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reconciler.Kubernetes.Configuration;

namespace Reconciler.Kubernetes.Tests.Fakes;

/// <summary>
/// An in-process Kubernetes API server on a real loopback socket, faithful to the documented semantics that
/// controllers depend on: one global resourceVersion; uid, creationTimestamp and generation; the status
/// subresource; 409 on stale writes and on existing names; JSON merge patch; finalizers and deletionTimestamp;
/// list with label selectors and limit/continue; watch with resume, bookmarks and 410 Expired after compaction.
/// Secrets, events.k8s.io Events and coordination Leases are built in; register custom resources first.
/// Not modelled: namespaces as objects, garbage collection of dependents, admission webhooks, CRD schema
/// validation, field selectors, JSON patch, strategic merge patch and server-side apply.
/// </summary>
public sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeApiStore _store;
    private readonly FakeKubernetesApiServerOptions _options;
    private readonly ConcurrentQueue<FakeApiRequest> _requests = new();
    private readonly ConcurrentQueue<(string Verb, string? Resource, int Code, int RetryAfterSeconds)> _failures = new();
    private readonly CancellationTokenSource _stopping = new();

    private FakeKubernetesApiServer(WebApplication app, FakeApiStore store, FakeKubernetesApiServerOptions options)
    {
        _app = app;
        _store = store;
        _options = options;
        BearerToken = options.BearerToken;
    }

    /// <summary>The server's URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The token requests must carry, or null for no authentication; change it to simulate rotation.</summary>
    public string? BearerToken { get; set; }

    /// <summary>The current global resourceVersion.</summary>
    public long ResourceVersion => _store.Revision;

    public int OpenWatchCount => _store.OpenWatchCount;

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<FakeApiRequest> Requests => [.. _requests];

    public static async Task<FakeKubernetesApiServer> StartAsync(FakeKubernetesApiServerOptions? options = null)
    {
        options ??= new FakeKubernetesApiServerOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (options.ServerCertificate is { } certificate)
            {
                listen.UseHttps(https => ConfigureHttps(https, certificate, options.ClientCertificateAuthority));
            }
        }));
        var app = builder.Build();
        var store = new FakeApiStore(options.TimeProvider, options.HistoryLimit);
        store.Register(FakeResource.Secrets());
        store.Register(FakeResource.Leases());
        store.Register(FakeResource.Events());
        var server = new FakeKubernetesApiServer(app, store, options);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Serves a custom resource, as installing its CRD would.</summary>
    public void RegisterCustomResource(ResourceType type, bool hasStatusSubresource = true) =>
        _store.Register(new FakeResource(type, hasStatusSubresource, isCustomResource: true));

    /// <summary>Serves another built-in type (e.g. configmaps) with the generic strategy: no generation, unconditional updates.</summary>
    public void RegisterBuiltInResource(ResourceType type) =>
        _store.Register(new FakeResource(type, hasStatusSubresource: false, isCustomResource: false));

    /// <summary>The stored object, read without a request; null when absent.</summary>
    public JsonObject? GetObject(ResourceType type, string? @namespace, string name) =>
        _store.TryGet(Resolve(type), @namespace, name);

    /// <summary>Simulates etcd compaction: watches and continue tokens from before now get 410 Expired.</summary>
    public void CompactHistory() => _store.CompactHistory();

    /// <summary>
    /// Compacts history before every continued list page, as on a busy cluster whose compaction always overtakes a
    /// slow client's paging: every continue token is then expired.
    /// </summary>
    public bool CompactBetweenPages
    {
        get => _store.CompactBetweenPages;
        set => _store.CompactBetweenPages = value;
    }

    /// <summary>The stored objects and revision as they are now, for <see cref="Restore"/>.</summary>
    public object Backup() => _store.Backup();

    /// <summary>
    /// Simulates restoring etcd from <paramref name="backup"/> and restarting the API server: objects and the revision
    /// go back, history is gone and every watch ends, so clients hold resourceVersions the server has not reached.
    /// </summary>
    public void Restore(object backup) => _store.Restore(backup);

    /// <summary>Ends every open watch cleanly, as an API server restart or load-balancer timeout would.</summary>
    public void CloseAllWatches() => _store.CloseAllWatches();

    /// <summary>
    /// Ends every open watch with an ERROR event carrying this status, as the API server does when it cannot go on
    /// serving a watch it has accepted (an object its conversion webhook fails on, a storage error).
    /// </summary>
    public void FailOpenWatches(int code, string reason, string message) => _store.FailOpenWatches(FakeApiStatus.Create(code, reason, message));

    /// <summary>Sends a BOOKMARK at the current resourceVersion to every watch that allows them.</summary>
    public void SendBookmarks() => _store.SendBookmarks();

    /// <summary>Makes the next <paramref name="count"/> requests with <paramref name="verb"/> (on <paramref name="resource"/>, if given) fail with <paramref name="statusCode"/>.</summary>
    public void FailNextRequests(string verb, int statusCode, int count = 1, string? resource = null)
    {
        for (var i = 0; i < count; i++)
        {
            _failures.Enqueue((verb, resource, statusCode, 0));
        }
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> requests with <paramref name="verb"/> (on <paramref name="resource"/>, if
    /// given) wait their turn as Priority and Fairness refuses them: 429 TooManyRequests with Retry-After.
    /// </summary>
    public void ThrottleNextRequests(string verb, int retryAfterSeconds, int count = 1, string? resource = null)
    {
        for (var i = 0; i < count; i++)
        {
            _failures.Enqueue((verb, resource, 429, retryAfterSeconds));
        }
    }

    public int CountRequests(string verb, string? resource = null, string? subresource = null) =>
        _requests.Count(request => request.Verb == verb && (resource is null || request.Resource == resource) && (subresource is null || request.Subresource == subresource));

    public void ResetRequests() => _requests.Clear();

    /// <summary>
    /// A kubeconfig for this server: its URL, its <see cref="FakeKubernetesApiServerOptions.CertificateAuthority"/>, the current bearer token, and the
    /// client certificate if one is given.
    /// </summary>
    public string CreateKubeconfig(string? @namespace = null, TestCertificate? clientCertificate = null)
    {
        var yaml = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("current-context: fake")
            .AppendLine("clusters:")
            .AppendLine("- name: fake")
            .AppendLine("  cluster:")
            .AppendLine(CultureInfo.InvariantCulture, $"    server: {BaseUrl.AbsoluteUri.TrimEnd('/')}");
        if (_options.CertificateAuthority is { } authority)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    certificate-authority-data: {Base64(authority.CertificatePem)}");
        }

        // A user without credentials is refused by the library, as by kubectl; an anonymous context names none.
        var authenticated = BearerToken is not null || clientCertificate is not null;
        if (authenticated)
        {
            yaml.AppendLine("users:").AppendLine("- name: fake").AppendLine("  user:");
        }

        if (BearerToken is not null)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    token: {BearerToken}");
        }

        if (clientCertificate is not null)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"    client-certificate-data: {Base64(clientCertificate.CertificatePem)}")
                .AppendLine(CultureInfo.InvariantCulture, $"    client-key-data: {Base64(clientCertificate.KeyPem)}");
        }

        yaml.AppendLine("contexts:")
            .AppendLine("- name: fake")
            .AppendLine("  context:")
            .AppendLine("    cluster: fake")
            .AppendLine(authenticated ? "    user: fake" : "")
            .AppendLine(CultureInfo.InvariantCulture, $"    namespace: {@namespace ?? "default"}");
        return yaml.ToString();
    }

    /// <summary>A real <see cref="KubernetesClient"/> for this server, configured through <see cref="CreateKubeconfig"/>.</summary>
    public KubernetesClient CreateClient(KubernetesClientOptions? options = null, TestCertificate? clientCertificate = null) =>
        KubernetesClient.Create(KubernetesConnection.FromKubeconfigYaml(CreateKubeconfig(clientCertificate: clientCertificate)), options);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _store.CloseAllWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static void ConfigureHttps(HttpsConnectionAdapterOptions https, TestCertificate certificate, TestCertificate? clientAuthority)
    {
        https.ServerCertificate = certificate.Certificate;
        if (clientAuthority is null)
        {
            return;
        }

        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        https.ClientCertificateValidation = (client, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.Add(clientAuthority.Certificate);
            return chain.Build(client);
        };
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private FakeResource Resolve(ResourceType type) =>
        _store.Find(type.Group, type.Version, type.Plural) ?? throw new InvalidOperationException($"{type} is not registered with the fake API server.");

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            await DispatchAsync(context);
        }
        catch (FakeApiException ex)
        {
            // As the API server's error writer: a status that says when to come back says it in the header too.
            if (ex.RetryAfterSeconds is > 0 and var seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            await WriteJsonAsync(context, ex.Code, ex.ToStatus());
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            // The client went away or the server is stopping.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            // A bug in the fake: say what it was instead of an empty 500.
            await WriteJsonAsync(context, 500, FakeApiStatus.Create(500, "InternalError", $"fake API server failure: {ex}"));
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        var user = Authenticate(context);
        var route = Route(request.Path.Value ?? "");
        var resource = _store.Find(route.Group, route.Version, route.Plural) ?? throw NotFoundPath();
        if ((resource.Type.Namespaced && route.Namespace is null && route.Name is not null)
            || (!resource.Type.Namespaced && route.Namespace is not null)
            || (route.Subresource is not null && (route.Subresource != "status" || !resource.HasStatusSubresource)))
        {
            throw NotFoundPath();
        }

        var watch = request.Query["watch"] is var w && (w == "1" || w == "true");
        var verb = (request.Method, route.Name) switch
        {
            ("GET", null) => watch ? "watch" : "list",
            ("GET", _) => "get",
            ("POST", null) => "create",
            ("PUT", not null) => "update",
            ("PATCH", not null) => "patch",
            ("DELETE", not null) => "delete",
            _ => throw new FakeApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource"),
        };
        _requests.Enqueue(new FakeApiRequest(verb, route.Plural, route.Subresource, route.Namespace, route.Name, user, context.Connection.Id));
        Authorize(verb, resource, route.Namespace, user);
        InjectFailure(verb, route.Plural);

        var status = route.Subresource == "status";
        switch (verb)
        {
            case "get":
                await WriteJsonAsync(context, 200, _store.Get(resource, route.Namespace, route.Name!));
                break;
            case "list":
                await WriteJsonAsync(context, 200, _store.List(resource, route.Namespace, Selector(request), Limit(request), request.Query["continue"]));
                break;
            case "watch":
                await StreamWatchAsync(context, resource, route.Namespace);
                break;
            case "create":
                await WriteJsonAsync(context, 201, _store.Create(resource, route.Namespace, await ReadObjectAsync(context)));
                break;
            case "update":
                await WriteJsonAsync(context, 200, _store.Replace(resource, route.Namespace, route.Name!, await ReadObjectAsync(context), status));
                break;
            case "patch":
                if (request.ContentType?.Split(';')[0].Trim() != "application/merge-patch+json")
                {
                    throw new FakeApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/merge-patch+json (got {request.ContentType})");
                }

                await WriteJsonAsync(context, 200, _store.Patch(resource, route.Namespace, route.Name!, await ReadObjectAsync(context), status));
                break;
            default:
                var options = request.ContentLength > 0 ? await ReadObjectAsync(context) : null;
                var remaining = _store.Delete(resource, route.Namespace, route.Name!, options);
                await WriteJsonAsync(context, 200, remaining ?? FakeApiStatus.Success(resource.Details(route.Name!)));
                break;
        }
    }

    private async Task StreamWatchAsync(HttpContext context, FakeResource resource, string? ns)
    {
        var query = context.Request.Query;
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var watch = _store.Watch(resource, ns, Selector(context.Request), query["resourceVersion"], bookmarks);
        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        if (int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var timeoutSeconds) && timeoutSeconds > 0)
        {
            end.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        var bookmarking = bookmarks ? SendBookmarksAsync(watch, end.Token) : Task.CompletedTask;
        try
        {
            // Headers go out at once so the client sees the watch established before any event.
            await response.Body.FlushAsync(end.Token);
            await foreach (var line in watch.Events.ReadAllAsync(end.Token))
            {
                await response.WriteAsync(line, end.Token);
                await response.Body.FlushAsync(end.Token);
            }
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // Timeout, client gone or server stopping: the watch simply ends.
        }
        finally
        {
            _store.StopWatch(watch);
            await end.CancelAsync();
            await bookmarking;
        }
    }

    private async Task SendBookmarksAsync(FakeWatch watch, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.BookmarkInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                _store.SendBookmark(watch);
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ended.
        }
    }

    private string? Authenticate(HttpContext context)
    {
        var certificateUser = context.Connection.ClientCertificate?.GetNameInfo(X509NameType.SimpleName, false);
        if (BearerToken is not { } token)
        {
            return certificateUser;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (header == $"Bearer {token}")
        {
            return certificateUser ?? "token";
        }

        if (certificateUser is not null && header.Length == 0)
        {
            return certificateUser;
        }

        throw new FakeApiException(401, "Unauthorized", "Unauthorized");
    }

    private void Authorize(string verb, FakeResource resource, string? ns, string? user)
    {
        if (verb is "list" or "watch" && resource.Type.Namespaced && _options.ListWatchNamespaces is { } allowed && (ns is null || !allowed.Contains(ns)))
        {
            throw FakeApiException.Forbidden(resource, verb, user ?? "system:anonymous", ns);
        }
    }

    private void InjectFailure(string verb, string resource)
    {
        if (_failures.TryPeek(out var failure) && failure.Verb == verb && (failure.Resource is null || failure.Resource == resource) && _failures.TryDequeue(out _))
        {
            if (failure.RetryAfterSeconds > 0)
            {
                throw new FakeApiException(429, "TooManyRequests", "Too many requests, please try again later.", new JsonObject { ["retryAfterSeconds"] = failure.RetryAfterSeconds });
            }

            throw new FakeApiException(failure.Code, ReasonOf(failure.Code), $"injected failure {failure.Code} for {verb}");
        }
    }

    /// <summary>The metav1.StatusReason the API server pairs with a code, so that clients reading the reason (IsConflict, IsGone) see what they would.</summary>
    private static string ReasonOf(int code) => code switch
    {
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Expired",
        422 => "Invalid",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        >= 500 => "InternalError",
        _ => "BadRequest",
    };

    private static LabelSelector? Selector(HttpRequest request)
    {
        var text = request.Query["labelSelector"].ToString();
        try
        {
            return text.Length == 0 ? null : LabelSelector.Parse(text);
        }
        catch (FormatException ex)
        {
            throw FakeApiException.BadRequest($"unable to parse requirement: {ex.Message}");
        }
    }

    private static int Limit(HttpRequest request) =>
        int.TryParse(request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : 0;

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject
                ?? throw FakeApiException.BadRequest("the body of the request must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw FakeApiException.BadRequest($"the body of the request was in an unknown format: {ex.Message}");
        }
    }

    private static Task WriteJsonAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static FakeApiException NotFoundPath() => new(404, "NotFound", "the server could not find the requested resource");

    /// <summary>Splits /api/v1/… and /apis/{group}/{version}/… into group, version, namespace, plural, name and subresource.</summary>
    private static RouteValues Route(string path)
    {
        var segments = path.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        string group;
        string version;
        ArraySegment<string> rest;
        switch (segments)
        {
            case ["api", var v, ..]:
                (group, version, rest) = ("", v, segments[2..]);
                break;
            case ["apis", var g, var v, ..] when g.Length > 0:
                (group, version, rest) = (g, v, segments[3..]);
                break;
            default:
                throw NotFoundPath();
        }

        string? ns = null;
        if (rest is ["namespaces", var n, _, ..])
        {
            ns = n;
            rest = rest[2..];
        }

        return rest.Count switch
        {
            1 => new RouteValues(group, version, ns, rest[0], null, null),
            2 => new RouteValues(group, version, ns, rest[0], rest[1], null),
            3 => new RouteValues(group, version, ns, rest[0], rest[1], rest[2]),
            _ => throw NotFoundPath(),
        };
    }

    private sealed record RouteValues(string Group, string Version, string? Namespace, string Plural, string? Name, string? Subresource);
}
