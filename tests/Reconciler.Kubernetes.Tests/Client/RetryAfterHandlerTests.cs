using Microsoft.Extensions.Time.Testing;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Reconciler.Kubernetes.Configuration;
using Reconciler.Kubernetes.Tests.Fakes;

namespace Reconciler.Kubernetes.Tests.Client;

/// <summary>client-go's transparent retry of 429 (and 5xx) answers that carry Retry-After.</summary>
public sealed class RetryAfterHandlerTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Method, string Query, string Body)> _received = new();
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _answers = new();
    private readonly WaitRecordingTimeProvider _clock = new(new FakeTimeProvider());
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync(async context =>
    {
        using var reader = new StreamReader(context.Request.Body);
        _received.Enqueue((context.Request.Method, context.Request.QueryString.Value ?? "", await reader.ReadToEndAsync()));
        await (_answers.TryDequeue(out var answer) ? answer(context) : Answer(200, """{"kind":"Secret","apiVersion":"v1","metadata":{"name":"s","namespace":"default"}}""")(context));
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A429WithRetryAfter_IsSentAgainWithItsBodyAfterTheWait()
    {
        _answers.Enqueue(Answer(429, TooManyRequests, retryAfter: "3"));
        using var http = Http();

        var sending = http.PostAsync(new Uri(_server.BaseUrl, "api/v1/namespaces/default/secrets"), new StringContent("""{"a":1}""", Encoding.UTF8, "application/json"));
        (await _clock.NextWaitAsync()).Should().Be(TimeSpan.FromSeconds(3));
        _clock.Clock.Advance(TimeSpan.FromSeconds(2.9));
        await Task.Delay(100);
        sending.IsCompleted.Should().BeFalse("Retry-After asked for 3 seconds");
        _clock.Clock.Advance(TimeSpan.FromSeconds(0.1));
        using var response = await sending.WaitAsync(TimeSpan.FromSeconds(10));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        _received.Select(r => (r.Method, r.Body)).Should().Equal(("POST", """{"a":1}"""), ("POST", """{"a":1}"""));
    }

    [Theory]
    [InlineData(429, "0", null, 2)]
    [InlineData(503, "0", null, 2)]
    [InlineData(500, "0", null, 2)]
    [InlineData(429, null, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429,"details":{"retryAfterSeconds":0}}""", 2)]
    [InlineData(429, null, "<html>rate limited</html>", 1)]
    [InlineData(503, null, "unavailable", 1)]
    [InlineData(409, "0", null, 1)]
    [InlineData(404, "0", null, 1)]
    public async Task WhichAnswersAreRetried(int status, string? retryAfter, string? body, int expectedRequests)
    {
        _answers.Enqueue(Answer(status, body ?? TooManyRequests, retryAfter));
        using var http = Http();

        using var response = await http.GetAsync(new Uri(_server.BaseUrl, "api/v1/namespaces/default/secrets/s"));

        _received.Should().HaveCount(expectedRequests);
        response.StatusCode.Should().Be(expectedRequests == 2 ? HttpStatusCode.OK : (HttpStatusCode)status);
    }

    [Fact]
    public async Task AWatch_IsNotRetried()
    {
        _answers.Enqueue(Answer(429, TooManyRequests, retryAfter: "0"));
        using var http = Http();

        using var response = await http.GetAsync(new Uri(_server.BaseUrl, "api/v1/namespaces/default/secrets?watch=true&resourceVersion=5"));

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        _received.Should().ContainSingle();
    }

    [Fact]
    public async Task Retries_AreBoundedByClientGosTen()
    {
        for (var i = 0; i < 20; i++)
            _answers.Enqueue(Answer(429, TooManyRequests, retryAfter: "0"));
        using var http = Http();

        using var response = await http.GetAsync(new Uri(_server.BaseUrl, "api/v1/namespaces/default/secrets/s"));

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        _received.Should().HaveCount(1 + RetryAfterHandler.DefaultMaxRetries);
    }

    [Fact]
    public async Task AVeryLongRetryAfter_IsWaitedForAtMostAMinute()
    {
        _answers.Enqueue(Answer(429, TooManyRequests, retryAfter: "3600"));
        using var http = Http();

        var sending = http.GetAsync(new Uri(_server.BaseUrl, "api/v1/namespaces/default/secrets/s"));
        (await _clock.NextWaitAsync()).Should().Be(TimeSpan.FromMinutes(1));
        _clock.Clock.Advance(TimeSpan.FromMinutes(1));
        using var response = await sending.WaitAsync(TimeSpan.FromSeconds(10));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheClient_RetriesA429ForItsCaller()
    {
        _answers.Enqueue(Answer(429, TooManyRequests, retryAfter: "1"));
        using var client = KubernetesClient.Create(
            new KubernetesConnection(new k8s.KubernetesClientConfiguration { Host = _server.BaseUrl.AbsoluteUri }, "default", "test"), time: _clock);

        var getting = client.GetAsync<Models.Secret>(ResourceType.Secrets, "default", "s");
        (await _clock.NextWaitAsync()).Should().Be(TimeSpan.FromSeconds(1));
        _clock.Clock.Advance(TimeSpan.FromSeconds(1));
        var secret = await getting.WaitAsync(TimeSpan.FromSeconds(10));

        secret.Metadata.Name.Should().Be("s");
        _received.Should().HaveCount(2);
    }

    private const string TooManyRequests = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","code":429}""";

    private HttpClient Http() => new(new RetryAfterHandler(_clock) { InnerHandler = new SocketsHttpHandler() });

    private static Func<HttpContext, Task> Answer(int status, string body, string? retryAfter = null) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (retryAfter is not null)
            context.Response.Headers.RetryAfter = retryAfter;
        await context.Response.WriteAsync(body);
    };
}
