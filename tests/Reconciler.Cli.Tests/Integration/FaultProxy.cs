using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Reconciler.Cli.Tests.Integration;

/// <summary>
/// A real HTTP server on loopback in front of a real platform, as a misbehaving proxy or gateway would stand there:
/// each request goes to <see cref="Handle"/>, which may forward it (the platform then acts on it) and answer with what
/// the platform said, something else, or nothing at all.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Content-Length", "Keep-Alive" };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private FaultProxy(WebApplication app, Uri upstream)
    {
        _app = app;
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = upstream };
    }

    /// <summary>Every request as "METHOD path", in the order it arrived.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Answers a request; the second argument forwards it to the platform and returns the platform's answer unsent.</summary>
    public Func<HttpContext, Func<Task<UpstreamAnswer>>, Task> Handle { get; set; } = async (context, forward) => await (await forward()).WriteAsync(context);

    public Uri BaseUrl => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public static async Task<FaultProxy> StartAsync(Uri upstream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new FaultProxy(app, upstream);
        app.Run(proxy.ServeAsync);
        await app.StartAsync();
        return proxy;
    }

    private Task ServeAsync(HttpContext context)
    {
        Requests.Enqueue($"{context.Request.Method} {context.Request.Path}");
        return Handle(context, () => ForwardAsync(context));
    }

    private async Task<UpstreamAnswer> ForwardAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString);
        if (body.Length > 0)
            request.Content = new ByteArrayContent(body.ToArray());
        foreach (var (name, values) in context.Request.Headers.Where(h => !HopByHop.Contains(h.Key)))
        {
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        using var response = await _upstream.SendAsync(request);
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => !HopByHop.Contains(h.Key))
            .Select(h => KeyValuePair.Create(h.Key, h.Value.ToArray()))
            .ToList();
        return new UpstreamAnswer((int)response.StatusCode, headers, await response.Content.ReadAsByteArrayAsync());
    }

    public async ValueTask DisposeAsync()
    {
        _upstream.Dispose();
        await _app.DisposeAsync();
    }
}

/// <summary>What the platform answered, before the proxy sends it on (or does not).</summary>
internal sealed record UpstreamAnswer(int Status, IReadOnlyList<KeyValuePair<string, string[]>> Headers, byte[] Body)
{
    public async Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = Status;
        foreach (var (name, values) in Headers)
            context.Response.Headers[name] = values;
        if (Body.Length > 0)
            await context.Response.Body.WriteAsync(Body);
    }
}
