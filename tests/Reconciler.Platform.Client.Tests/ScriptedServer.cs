using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Reconciler.Platform.Client.Tests;

/// <summary>A real Kestrel server on 127.0.0.1:0 that answers each request with the next scripted step.</summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _steps = new();

    private ScriptedServer(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Method, string PathAndQuery, IHeaderDictionary Headers)> Requests { get; } = new();

    public Func<HttpContext, Task> Fallback { get; set; } = context => Json(context, 200, """{"items":[],"nextCursor":null}""");

    public Uri BaseUrl => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public static async Task<ScriptedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ScriptedServer(app);
        app.Run(async context =>
        {
            server.Requests.Enqueue((context.Request.Method, context.Request.Path + context.Request.QueryString, new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase))));
            var step = server._steps.TryDequeue(out var next) ? next : server.Fallback;
            await step(context);
        });
        await app.StartAsync();
        return server;
    }

    public ScriptedServer Then(Func<HttpContext, Task> step)
    {
        _steps.Enqueue(step);
        return this;
    }

    public static async Task Json(HttpContext context, int status, string body, Action<IHeaderDictionary>? headers = null)
    {
        context.Response.StatusCode = status;
        headers?.Invoke(context.Response.Headers);
        context.Response.ContentType = status >= 400 ? "application/problem+json" : "application/json";
        await context.Response.WriteAsync(body);
    }

    public static Func<HttpContext, Task> Status(int status, Action<IHeaderDictionary>? headers = null) =>
        context => Json(context, status, $$"""{"title":"scripted","status":{{status}}}""", headers);

    /// <summary>Drops the connection without an answer, as a crashed proxy would.</summary>
    public static Func<HttpContext, Task> Drop() => context =>
    {
        context.Abort();
        return Task.CompletedTask;
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
