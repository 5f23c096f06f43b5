using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Validation;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Client;

/// <summary>
/// The Admin API over HTTP, implementing the engine's port. Transient failures (429, 5xx, network) are retried with
/// exponential backoff, jitter and Retry-After, 429s waited out as back-pressure (see <see cref="AdminApiResilience"/>); creates are safe to retry by their Idempotency-Key, replaces and
/// deletes by If-Match. Whatever still fails comes back as <see cref="PlatformOutcome.Unavailable"/>, never NotFound.
/// </summary>
public sealed partial class AdminApiClient : IPlatformClient, IAuditFeed
{
    private readonly HttpClient _http;
    private readonly AdminApiClientOptions _options;
    private readonly AdminApiResilience _resilience;
    private readonly PlatformClientMetrics _metrics;
    private readonly ILogger<AdminApiClient> _logger;
    private readonly ConcurrentDictionary<string, Uri> _collectionUris = new(StringComparer.Ordinal);

    // The platform as messages name it: a user name or password in the URL is never shown (nor sent: the token authenticates).
    private readonly string? _shownUrl;

    public AdminApiClient(HttpClient http, IOptions<AdminApiClientOptions> options, AdminApiResilience resilience, PlatformClientMetrics metrics, ILogger<AdminApiClient> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _resilience = resilience;
        _metrics = metrics;
        _logger = logger;
        // Each attempt is timed here instead, so that an answer that never came is told apart from a connection never made.
        http.Timeout = Timeout.InfiniteTimeSpan;
        http.MaxResponseContentBufferSize = _options.MaxResponseBytes;
        _shownUrl = _options.BaseUrl is { UserInfo.Length: > 0 } url ? new UriBuilder(url) { UserName = "", Password = "" }.Uri.ToString() : _options.BaseUrl?.ToString();
    }

    /// <summary>
    /// The connection handler every client of the platform is built on. Redirects are not followed: .NET drops the
    /// bearer token on a redirect, so the target answered 401 as if the token were wrong, and a Location such as
    /// <c>file:///etc/passwd</c> threw out of the command; a 3xx is reported with where it points instead.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(AdminApiClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // A connection is given up on well before the attempt is (by half its time at most), so an attempt that runs out
        // of time had its connection, and is said to have gone unanswered rather than unconnected.
        var connect = options.AttemptTimeout != Timeout.InfiniteTimeSpan && options.AttemptTimeout / 2 < options.ConnectTimeout ? options.AttemptTimeout / 2 : options.ConnectTimeout;
        return new SocketsHttpHandler { ConnectTimeout = connect, AllowAutoRedirect = false };
    }

    public async Task<PlatformResult<IReadOnlyList<PlatformObject>>> ListAsync(string collection, CancellationToken cancellationToken)
    {
        var listed = await ReadPagesAsync(
            collection,
            $"{collection}?limit={_options.PageSize}",
            ObservedPage.Objects,
            cancellationToken);
        return listed.IsOk && Twice(listed.Value!) is { } twice
            ? PlatformResult<IReadOnlyList<PlatformObject>>.Fail(PlatformOutcome.Unavailable, TerminalText.Printable($"GET {collection}: the platform listed {twice}; a list in which pages moved while they were read (or a platform that broke its own uniqueness) cannot be planned from"))
            : listed;
    }

    public Task<PlatformResult<PlatformObject>> GetAsync(string collection, string id, CancellationToken cancellationToken) =>
        ObjectAsync(HttpMethod.Get, collection, $"{collection}/{Uri.EscapeDataString(id)}", null, null, ObservedPage.Fetched, cancellationToken);

    public Task<PlatformResult<PlatformObject>> GetOrganizationAsync(CancellationToken cancellationToken) =>
        ObjectAsync(HttpMethod.Get, AdminApi.Collections.Organization, AdminApi.Collections.Organization, null, null, ObservedPage.Fetched, cancellationToken);

    public Task<PlatformResult<PlatformObject>> CreateAsync(string collection, JsonObject body, string idempotencyKey, ChangeReason reason, CancellationToken cancellationToken) =>
        ObjectAsync(HttpMethod.Post, collection, collection, body, new WriteHeaders(reason, IdempotencyKey: idempotencyKey), ObservedPage.Object, cancellationToken);

    public Task<PlatformResult<PlatformObject>> ReplaceAsync(string collection, string id, long expectedVersion, JsonObject body, ChangeReason reason, CancellationToken cancellationToken) =>
        ObjectAsync(HttpMethod.Put, collection, $"{collection}/{Uri.EscapeDataString(id)}", body, new WriteHeaders(reason, IfMatch: expectedVersion), ObservedPage.Object, cancellationToken);

    public Task<PlatformResult<PlatformObject>> ReplaceOrganizationAsync(long expectedVersion, JsonObject body, ChangeReason reason, CancellationToken cancellationToken) =>
        ObjectAsync(HttpMethod.Put, AdminApi.Collections.Organization, AdminApi.Collections.Organization, body, new WriteHeaders(reason, IfMatch: expectedVersion), ObservedPage.Object, cancellationToken);

    public async Task<PlatformResult<PlatformObject?>> DeleteAsync(string collection, string id, long expectedVersion, ChangeReason reason, CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Delete, collection, $"{collection}/{Uri.EscapeDataString(id)}", null, new WriteHeaders(reason, IfMatch: expectedVersion), static _ => true, cancellationToken);
        return result.IsOk ? PlatformResult<PlatformObject?>.Ok(null) : result.As<PlatformObject?>();
    }

    public Task<PlatformResult<IReadOnlyList<AuditRecord>>> ListAuditEventsAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = new StringBuilder($"{AdminApi.Collections.AuditEvents}?limit={_options.PageSize}");

        if (query.AfterSequence > 0)
            path.Append(CultureInfo.InvariantCulture, $"&afterSequence={query.AfterSequence}");
        if (query.Since is { } since)
            path.Append("&since=").Append(Uri.EscapeDataString(since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        if (query.Collection is not null)
            path.Append("&collection=").Append(Uri.EscapeDataString(query.Collection));
        if (query.ObjectId is not null)
            path.Append("&objectId=").Append(Uri.EscapeDataString(query.ObjectId));
        return ReadPagesAsync(
            AdminApi.Collections.AuditEvents,
            path.ToString(),
            items => AuditEvents(items)
                .Where(e => query.Since is null || e.At >= query.Since)
                .Select(ToAuditRecord),
            cancellationToken);
    }

    public async Task<PlatformResult<AuditFeedPage>> ReadAuditFeedAsync(long afterSequence, CancellationToken cancellationToken)
    {
        long? latest = null;
        var events = await ReadPagesAsync(
            AdminApi.Collections.AuditEvents,
            string.Create(CultureInfo.InvariantCulture, $"{AdminApi.Collections.AuditEvents}?limit={_options.PageSize}&afterSequence={afterSequence}"),
            items => AuditEvents(items).Select(ToAuditRecord),
            cancellationToken,
            page => latest ??= page.TryGetProperty("latestSequence", out var sequence) && sequence.ValueKind != JsonValueKind.Null ? sequence.GetInt64() : null);
        if (!events.IsOk)
            return events.As<AuditFeedPage>();
        if (latest is null)
            return PlatformResult<AuditFeedPage>.Fail(PlatformOutcome.Unavailable, $"GET {AdminApi.Collections.AuditEvents}: the platform does not report latestSequence, so its audit trail cannot be tailed");
        return PlatformResult<AuditFeedPage>.Ok(new AuditFeedPage(events.Value!, Math.Max(latest.Value, events.Value!.Count > 0 ? events.Value[^1].Sequence : 0)));
    }

    public Task<PlatformResult<IReadOnlyList<string>>> ListPermissionsAsync(CancellationToken cancellationToken) =>
        ReadPagesAsync(
            AdminApi.Collections.Permissions,
            $"{AdminApi.Collections.Permissions}?limit={_options.PageSize}",
            ObservedPage.Names,
            cancellationToken);

    public Task<PlatformResult<IReadOnlyList<string>>> ListPlaceholdersAsync(CancellationToken cancellationToken) =>
        ReadPagesAsync(
            AdminApi.Collections.Placeholders,
            $"{AdminApi.Collections.Placeholders}?limit={_options.PageSize}",
            ObservedPage.Names,
            cancellationToken);

    /// <summary>
    /// Every page of a list, following <c>nextCursor</c>. A cursor the platform already handed out would
    /// loop forever, so it ends the read as <see cref="PlatformOutcome.Unavailable"/> instead. Each page is read
    /// while its response's document is open: <paramref name="read"/> copies out what it keeps.
    /// </summary>
    /// <remarks>
    /// The next page is asked for as soon as a page's cursor is known, before its items are read: the platform finds
    /// the next thousand objects while this side copies out the last thousand, rather than each side waiting for the
    /// other (at 50,000 agents the client waited about a quarter of its list pass). A page is asked for only once the
    /// one before it has arrived, so the platform answers one request at a time; pages are taken in order; a read that
    /// ends early (a failed page, a repeated cursor, a cancellation, an unreadable item) cancels what it asked for
    /// ahead and waits for it, so nothing outlives the call.
    /// </remarks>
    private async Task<PlatformResult<IReadOnlyList<T>>> ReadPagesAsync<T>(string collection, string firstPage, Func<JsonElement, IEnumerable<T>> read, CancellationToken cancellationToken, Action<JsonElement>? onPage = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var asked = new ConcurrentQueue<Task>();

        Task<PlatformResult<ListPage<T>>> ReadPageAsync(string path)
        {
            var page = SendAsync(HttpMethod.Get, collection, path, null, null, ReadPage, stop.Token);
            asked.Enqueue(page);
            return page;
        }

        ListPage<T> ReadPage(JsonElement root)
        {
            // An answer that is no page (a gateway's empty 200, another service's JSON) read as no items made a
            // collection the platform holds look empty, and the plan then created all of it again.
            if (!root.TryGetProperty("items", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new InvalidOperationException("a list page carries its objects as an 'items' array, and this answer has none");
            onPage?.Invoke(root);
            var cursor = root.TryGetProperty("nextCursor", out var next) && next.ValueKind != JsonValueKind.Null ? next.GetString() : null;
            var repeated = cursor is not null && !seen.Add(cursor);
            var following = cursor is null || repeated ? null : ReadPageAsync(firstPage + "&cursor=" + Uri.EscapeDataString(cursor));
            return new ListPage<T>([.. read(list)], following, repeated);
        }

        var items = new List<T>();
        try
        {
            var pending = ReadPageAsync(firstPage);
            for (var pages = 1; ; pages++)
            {
                var page = await pending;
                if (!page.IsOk)
                    return page.As<IReadOnlyList<T>>();
                items.AddRange(page.Value!.Items);
                if (page.Value.Repeated)
                    return PlatformResult<IReadOnlyList<T>>.Fail(PlatformOutcome.Unavailable, $"GET {collection}: the platform repeated a page cursor; the list would never end");
                if (page.Value.Next is not { } next)
                    return PlatformResult<IReadOnlyList<T>>.Ok(items);
                if (pages == _options.MaxListPages)
                    return PlatformResult<IReadOnlyList<T>>.Fail(PlatformOutcome.Unavailable, $"GET {collection}: the platform names a next page after {pages.ToString(CultureInfo.InvariantCulture)} pages ({items.Count.ToString(CultureInfo.InvariantCulture)} objects), the most a list reads; the list would never end");
                pending = next;
            }
        }
        finally
        {
            // A page asks for the next one before its own task ends, so once every page asked for has ended, and
            // the queue is empty, nothing is in flight.
            await stop.CancelAsync();
            while (asked.TryDequeue(out var page))
            {
                await page.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (page.IsFaulted)
                    _ = page.Exception; // seen: it failed after the caller stopped wanting it
            }
        }
    }

    /// <summary>One page of a list: what was read from its items, the request for the page after it (null at the end), whether its cursor was one seen before.</summary>
    private sealed record ListPage<T>(List<T> Items, Task<PlatformResult<ListPage<T>>>? Next, bool Repeated);

    private static List<AuditEventDto> AuditEvents(JsonElement items) =>
        items.Deserialize(AdminApiReadJsonContext.Default.ListAuditEventDto) ?? [];

    /// <summary>
    /// The read side does not enforce the contract's required members, so a platform may send null for any of them:
    /// they are read as empty rather than failing a drift line or a feed poll far from here.
    /// </summary>
    private static AuditRecord ToAuditRecord(AuditEventDto e) =>
        new(e.Sequence, e.At, e.Actor ?? "", e.Action ?? "", e.Collection ?? "", e.ObjectId ?? "", e.Key ?? "", [.. (e.Changes ?? []).Select(c => c?.Field ?? "")], e.Reason, e.RequestId);

    private async Task<PlatformResult<PlatformObject>> ObjectAsync(HttpMethod method, string collection, string path, JsonObject? body, WriteHeaders? headers, Func<JsonElement, PlatformObject> read, CancellationToken cancellationToken)
    {
        var result = await SendAsync(method, collection, path, body, headers, read, cancellationToken);
        return result.IsOk ? PlatformResult<PlatformObject>.Ok(result.Value!) with { Replayed = result.Replayed, Resent = result.Resent } : result.As<PlatformObject>();
    }

    private sealed record WriteHeaders(ChangeReason Reason, string? IdempotencyKey = null, long? IfMatch = null);

    /// <summary>One request; a successful answer's JSON (an empty object when there is no body) is handed to <paramref name="read"/> while its pooled document is open.</summary>
    private async Task<PlatformResult<T>> SendAsync<T>(HttpMethod method, string collection, string relativePath, JsonObject? body, WriteHeaders? headers, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        // The bytes ToJsonString and StringContent would send, without the string between them.
        var payload = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, WireJsonContext.Default.JsonObject);
        var token = await _options.TokenProvider!.GetTokenAsync(cancellationToken);
        if (token.Length == 0)
            return PlatformResult<T>.Fail(PlatformOutcome.Unauthorized, $"the platform token ({_options.TokenProvider}) is empty; nothing was sent");
        if (token.AsSpan().IndexOfAnyExceptInRange('!', '~') is var bad and >= 0)
            return PlatformResult<T>.Fail(PlatformOutcome.Unauthorized, $"the platform token ({_options.TokenProvider}) holds {(char.IsControl(token[bad]) ? "a line break or control character" : token[bad] == ' ' ? "a space" : "a non-ASCII character")} at position {bad + 1}, which no bearer token can; nothing was sent");
        var requestId = headers?.Reason.RequestId ?? Guid.NewGuid().ToString("N");
        var uri = relativePath == collection ? CollectionUri(collection) : ApiUri(relativePath);
        using var span = ReconcilerTracing.Source.StartActivity($"{method.Method} {collection}", ActivityKind.Client);
        span?.SetTag("http.request.method", method.Method);
        span?.SetTag("server.address", uri.Host);
        span?.SetTag("url.path", uri.AbsolutePath);
        HttpResponseMessage response;
        var unanswered = false;
        var resent = false;
        try
        {
            response = await _resilience.ExecuteAsync(async ct =>
            {
                resent |= unanswered;
                using var request = new HttpRequestMessage(method, uri);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                ReconcilerTracing.Propagate(request);
                if (headers is not null)
                {
                    request.Headers.TryAddWithoutValidation(AdminApi.ChangeReasonHeader, Ascii(headers.Reason.Text));
                    request.Headers.TryAddWithoutValidation(AdminApi.RequestIdHeader, requestId);
                    if (headers.IdempotencyKey is not null)
                        request.Headers.TryAddWithoutValidation(AdminApi.IdempotencyKeyHeader, headers.IdempotencyKey);
                    if (headers.IfMatch is { } version)
                        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version.ToString(CultureInfo.InvariantCulture)}\"");
                }

                if (payload is not null)
                    request.Content = new ByteArrayContent(payload) { Headers = { ContentType = new MediaTypeHeaderValue("application/json", "utf-8") } };
                var started = Environment.TickCount64;
                using var limit = new CancellationTokenSource(_options.AttemptTimeout, _resilience.Time);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
                try
                {
                    var answer = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt.Token);
                    unanswered |= (int)answer.StatusCode >= 500;
                    var status = ((int)answer.StatusCode).ToString(CultureInfo.InvariantCulture);
                    _metrics.Request(method.Method, collection, status);
                    if (_logger.IsEnabled(LogLevel.Debug))
                        LogRequest(_logger, method.Method, relativePath.Split('?')[0], (int)answer.StatusCode, Environment.TickCount64 - started);
                    return answer;
                }
                catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    _metrics.Request(method.Method, collection, "no_answer");
                    LogNoAnswer(_logger, method.Method, relativePath.Split('?')[0], (long)_options.AttemptTimeout.TotalMilliseconds);
                    throw new PlatformNotAnsweringException(_options.AttemptTimeout, earlier: false);
                }
                catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !ct.IsCancellationRequested))
                {
                    unanswered = true;
                    _metrics.Request(method.Method, collection, "network_error");
                    LogNetworkError(_logger, method.Method, relativePath.Split('?')[0], e.Message);
                    throw;
                }
            }, method.Method, collection, cancellationToken);
        }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            return PlatformResult<T>.Fail(PlatformOutcome.Unavailable, $"{method.Method} {collection}: the platform's answer exceeds what the client reads ({_options.MaxResponseBytes.ToString(CultureInfo.InvariantCulture)} bytes of body, 64 KiB of headers); not read further");
        }
        catch (PlatformNotAnsweringException e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            return PlatformResult<T>.Fail(PlatformOutcome.Unavailable, NoAnswer(method, uri, e)) with { Unreachable = true };
        }
        catch (PlatformUnreachableException e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            return PlatformResult<T>.Fail(PlatformOutcome.Unavailable, $"platform unreachable at {_shownUrl}: {method.Method} {collection}: {e.Message}") with { Unreachable = true };
        }

        span?.SetTag("http.response.status_code", (int)response.StatusCode);
        if ((int)response.StatusCode >= 400)
            span?.SetStatus(ActivityStatusCode.Error);
        using (response)
            return await MapAsync(response, method, collection, body, token, read, cancellationToken) with { Resent = resent };
    }

    /// <summary>
    /// A request that got no answer, as what happened: the platform took the connection, so it is not called unreachable,
    /// and a write it may have carried out is not said to be undone.
    /// </summary>
    private string NoAnswer(HttpMethod method, Uri uri, PlatformNotAnsweringException e)
    {
        var within = e.Limit == Timeout.InfiniteTimeSpan ? "" : $" within {e.Limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
        if (e.Earlier)
            return $"{method.Method} {uri.AbsolutePath} was not sent: the platform at {_shownUrl} accepted the connection of an earlier request but did not answer it{within}";
        return $"the platform at {_shownUrl} accepted the connection but did not answer {method.Method} {uri.AbsolutePath}{within}"
            + (method == HttpMethod.Get ? "" : "; whether it made the change is not known (a later plan shows what the platform holds)");
    }

    private static async Task<PlatformResult<T>> MapAsync<T>(HttpResponseMessage response, HttpMethod method, string collection, JsonObject? sent, string token, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        using var body = await ResponseBody.ReadAsync(response.Content, cancellationToken);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            T value;
            try
            {
                if (body.IsBlank)
                {
                    value = read(method == HttpMethod.Post && CreatedId(response.Headers.Location, collection) is { } id ? ObservedPage.WithId(id) : ObservedPage.EmptyObject);
                }
                else
                {
                    using var json = JsonDocument.Parse(body.Utf8);
                    value = read(json.RootElement.ValueKind == JsonValueKind.Object ? json.RootElement : ObservedPage.EmptyObject);
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
            {
                // Whatever answers at the URL (a proxy, another service) may send anything with a 200: it fails this
                // request, said as one line naming it, not as an exception out of the command or the operator's loop.
                return PlatformResult<T>.Fail(PlatformOutcome.Unavailable, TerminalText.Printable($"{method.Method} {collection}: the platform's answer ({status}) is not the Admin API's JSON: {e.Message}"));
            }

            var replayed = response.Headers.TryGetValues(AdminApi.IdempotentReplayedHeader, out var values) && values.Contains("true", StringComparer.OrdinalIgnoreCase);
            return PlatformResult<T>.Ok(value) with { Replayed = replayed };
        }

        ProblemDto? problem = null;
        try
        {
            problem = body.IsBlank ? null : JsonSerializer.Deserialize(body.Utf8.Span, AdminApiReadJsonContext.Default.ProblemDto);
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy's error page): the status code alone decides.
        }

        // A problem's title may end as a sentence ("Unauthorized."; RFC 9457's own example does): its full stop goes before the detail's colon.
        var message = $"{method.Method} {collection}: {status} {(problem?.Title is { } title && problem.Detail is not null ? title.TrimEnd('.') : problem?.Title ?? response.ReasonPhrase)}" + (problem?.Detail is { } detail ? $": {detail}" : "")
            + (status is >= 300 and < 400 && response.Headers.Location is { } location ? $" (redirected to {ShownTarget(location)}; redirects are not followed: give the address the platform answers at)" : "");
        var outcome = response.StatusCode switch
        {
            HttpStatusCode.NotFound => PlatformOutcome.NotFound,
            HttpStatusCode.Conflict => PlatformOutcome.Conflict,
            HttpStatusCode.PreconditionFailed => PlatformOutcome.PreconditionFailed,
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest or HttpStatusCode.PreconditionRequired => PlatformOutcome.Invalid,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => PlatformOutcome.Unauthorized,
            _ => PlatformOutcome.Unavailable,
        };
        var secrets = SecretsIn(sent, token);
        return PlatformResult<T>.Fail(outcome, Shown(message, secrets), problem?.ExistingId, problem?.Errors?.ToDictionary(e => Shown(e.Key, secrets), e => e.Value is null ? [] : Array.ConvertAll(e.Value, m => Shown(m ?? "", secrets))));
    }

    /// <summary>
    /// The platform's words as a message may carry them to a terminal, a CI log or a resource's status: its secrets masked
    /// and its control characters escaped, so that an answer cannot clear the screen, retitle the window or forge lines.
    /// </summary>
    private static string Shown(string text, SecretMask secrets) => TerminalText.Printable(secrets.Apply(text));

    /// <summary>
    /// The secrets a request carries, its bearer token and those of its body (a platform or proxy that echoes the
    /// request, its Authorization header or its body, in its error quotes either): the message ends up in the terminal,
    /// CI logs, a resource's status and events.
    /// </summary>
    private static SecretMask SecretsIn(JsonObject? body, string token)
    {
        var secrets = new List<string> { token };
        foreach (var path in WriteOnlyFields.OfEveryKind)
        {
            JsonNode? node = body;
            foreach (var name in path.Split('.'))
                node = node is JsonObject o && o.TryGetPropertyValue(name, out var field) ? field : null;
            if (node is JsonValue value && value.TryGetValue<string>(out var secret))
                secrets.Add(secret);
        }

        return new SecretMask(secrets);
    }

    /// <summary>
    /// What a list names twice: an id (an offset-paged list whose pages shifted repeats an object, and may have skipped
    /// another, which a plan would then create again) or a natural key (two objects the platform should never hold).
    /// </summary>
    private static string? Twice(IReadOnlyList<PlatformObject> objects)
    {
        var ids = new HashSet<string>(objects.Count, StringComparer.Ordinal);
        var keys = new HashSet<string>(objects.Count, StringComparer.Ordinal);
        foreach (var o in objects)
        {
            if (!ids.Add(o.Id))
                return $"the object {o.Id} twice";
            if (o.Key.Length > 0 && !keys.Add(o.Key))
                return $"two objects with the key '{o.Key}' ({objects.First(p => p.Key == o.Key).Id} and {o.Id})";
        }

        return null;
    }

    /// <summary>
    /// The id a create's <c>Location</c> names (<c>…/{collection}/{id}</c>, as the contract answers every create), for
    /// a 201 that carries no body: without it the created object would have no id to be referenced by.
    /// </summary>
    private static string? CreatedId(Uri? location, string collection)
    {
        if (location is null)
            return null;
        var path = (location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?', '#')[0]).TrimEnd('/');
        var slash = path.LastIndexOf('/');
        var parent = path.LastIndexOf('/', Math.Max(0, slash - 1));
        return slash > 0 && slash < path.Length - 1 && path.AsSpan(parent + 1, slash - parent - 1).SequenceEqual(collection)
            ? Uri.UnescapeDataString(path[(slash + 1)..])
            : null;
    }

    /// <summary>A redirect's target as messages may show it: without a user name or password.</summary>
    private static string ShownTarget(Uri location) =>
        location.IsAbsoluteUri ? location.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped) : location.ToString();

    /// <summary>Header values must be ASCII; manifest paths may not be (most are: those go as they are).</summary>
    private static string Ascii(string text) =>
        text.AsSpan().ContainsAnyExceptInRange(' ', '~') ? new([.. text.Select(c => c is >= ' ' and <= '~' ? c : '?')]) : text;

    private Uri ApiUri(string relativePath) => new(_options.BaseUrl!, AdminApi.BasePath.TrimStart('/') + "/" + relativePath);

    /// <summary>A collection's address (every create goes to one), parsed once per collection rather than per request.</summary>
    private Uri CollectionUri(string collection) => _collectionUris.GetOrAdd(collection, static (path, client) => client.ApiUri(path), this);

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Method} {Path} -> {StatusCode} in {ElapsedMs} ms", SkipEnabledCheck = true)]
    private static partial void LogRequest(ILogger logger, string method, string path, int statusCode, long elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Method} {Path} failed: {Error}")]
    private static partial void LogNetworkError(ILogger logger, string method, string path, string error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "{Method} {Path}: no answer within {LimitMs} ms")]
    private static partial void LogNoAnswer(ILogger logger, string method, string path, long limitMs);
}
