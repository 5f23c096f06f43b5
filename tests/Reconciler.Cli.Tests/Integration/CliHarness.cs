using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Platform;
using Reconciler.Platform;

namespace Reconciler.Cli.Tests.Integration;

/// <summary>
/// A real reference platform over loopback HTTP (SQLite in a temp folder), the example organisation copied beside it,
/// and the CLI run in-process with captured stdout, stderr and logs.
/// </summary>
internal sealed class CliHarness : IAsyncDisposable
{
    public const string Canary = "CANARY-okta-5e6f7a8b";
    public const string TelegramCanary = "CANARY-telegram-9c8d7e6f";
    public const string FirebaseCanary = "CANARY-firebase-3b4c5d6e";
    public const string ReconcilerToken = "tok-reconciler-0123456789";
    public const string AliceToken = "tok-alice-0123456789";
    public const string ScimToken = "tok-scim-0123456789";

    private readonly ServiceProvider _aliceServices;
    private readonly ServiceProvider _botServices;
    private readonly ServiceProvider _scimServices;

    private CliHarness(string directory, RunningPlatform platform)
    {
        Directory = directory;
        Platform = platform;
        _aliceServices = Client(AliceToken);
        _botServices = Client(ReconcilerToken);
        _scimServices = Client(ScimToken);
    }

    /// <summary>The identity provider's provisioning token, audited as actor scim.</summary>
    public IPlatformClient Scim => _scimServices.GetRequiredService<IPlatformClient>();

    /// <summary>The clock the CLI evaluates dated changes by.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public string Directory { get; }

    public RunningPlatform Platform { get; }

    public string Manifests => Path.Combine(Directory, "acme-support");

    public Dictionary<string, string> Variables { get; } = new()
    {
        ["RECONCILER_PLATFORM_TOKEN"] = ReconcilerToken,
        ["RECONCILER_SECRET_SSO_OKTA_CLIENTSECRET"] = Canary,
        ["RECONCILER_SECRET_SSO_GOOGLE_CLIENTSECRET"] = "google-secret",
        ["RECONCILER_SECRET_SSO_MICROSOFT_CLIENTSECRET"] = "microsoft-secret",
        ["RECONCILER_SECRET_TELEGRAM_SUPPORT_BOT_TOKEN"] = TelegramCanary,
        ["RECONCILER_SECRET_FIREBASE_PUSH_SERVICEACCOUNTKEY"] = FirebaseCanary,
    };

    /// <summary>Everything any command wrote: stdout, stderr and logs, for the canary scan.</summary>
    public List<string> Transcript { get; } = [];

    /// <summary>An admin who is not Reconciler: edits as from the console.</summary>
    public IPlatformClient Alice => _aliceServices.GetRequiredService<IPlatformClient>();

    public IPlatformClient Bot => _botServices.GetRequiredService<IPlatformClient>();

    public static async Task<CliHarness> StartAsync(FaultInjectionOptions? faults = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "reconciler-cli-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        TestRepository.CopyExample(Path.Combine(directory, "acme-support"));
        var platform = await PlatformServer.StartAsync(new PlatformServerOptions
        {
            Database = new DatabaseOptions { ConnectionString = Path.Combine(directory, "platform.db") },
            Tokens = [PlatformToken.Admin("reconciler-bot", ReconcilerToken), PlatformToken.Admin("alice@acme.example", AliceToken), PlatformToken.Admin("scim", ScimToken)],
            Faults = faults ?? new FaultInjectionOptions(),
        });
        return new CliHarness(directory, platform);
    }

    public Task<CliRun> RunAsync(string arguments, CancellationToken cancellationToken = default) => RunInAsync(Directory, arguments, cancellationToken);

    /// <summary>Runs the command with <paramref name="workingDirectory"/> as its working directory (another checkout).</summary>
    public Task<CliRun> RunInAsync(string workingDirectory, string arguments, CancellationToken cancellationToken = default) =>
        RunInAsync(workingDirectory, arguments.Replace("{url}", Platform.BaseUrl.ToString(), StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries), cancellationToken);

    /// <summary>Runs the command with these arguments as given, spaces and all.</summary>
    public Task<CliRun> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) => RunInAsync(Directory, arguments, cancellationToken);

    private async Task<CliRun> RunInAsync(string workingDirectory, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var logs = new List<string>();
        var environment = new CliEnvironment(
            name => Variables.GetValueOrDefault(name),
            workingDirectory,
            IsInteractive: false,
            logging => logging.AddProvider(new ListLoggerProvider(logs))) { Time = Time };
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await Program.InvokeAsync(Program.Parse(Program.CreateRoot(environment), [.. args]), new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        var run = new CliRun(exitCode, output.ToString(), error.ToString(), logs);
        lock (Transcript)
            Transcript.AddRange([run.Output, run.Error, .. logs]);
        return run;
    }

    public async Task<IReadOnlyList<PlatformObject>> ListAsync(string collection)
    {
        var result = await Bot.ListAsync(collection, CancellationToken.None);
        result.IsOk.Should().BeTrue(result.Message);
        return result.Value!;
    }

    /// <summary>No command wrote a secret value anywhere: stdout, stderr or logs.</summary>
    public void AssertNoCanary()
    {
        lock (Transcript)
            Transcript.Should().NotContain(t => t.Contains("CANARY", StringComparison.Ordinal));
    }

    /// <summary>The variables <c>export</c> names in the secret references it writes, so that planning an export resolves them.</summary>
    public void SetExportedSecretVariables()
    {
        Variables["RECONCILER_SECRET_OKTA_CLIENTSECRET"] = Canary;
        Variables["RECONCILER_SECRET_GOOGLE_CLIENTSECRET"] = "google-secret";
        Variables["RECONCILER_SECRET_MICROSOFT_CLIENTSECRET"] = "microsoft-secret";
        Variables["RECONCILER_SECRET_TELEGRAM_SUPPORT_TOKEN"] = TelegramCanary;
    }

    public async Task<int> AuditCountAsync()
    {
        var result = await Bot.ListAuditEventsAsync(new AuditQuery(), CancellationToken.None);
        result.IsOk.Should().BeTrue(result.Message);
        return result.Value!.Count;
    }

    /// <summary>Alice changes one field of an object through the API.</summary>
    public async Task EditAsync(string collection, string key, Action<JsonObject> edit)
    {
        var target = (await ListAsync(collection)).Single(o => o.Key == key);
        var body = (JsonObject)target.Fields.DeepClone();
        edit(body);
        var result = await Alice.ReplaceAsync(collection, target.Id, target.Version, body, new ChangeReason("console edit"), CancellationToken.None);
        result.IsOk.Should().BeTrue(result.Message);
    }

    public async ValueTask DisposeAsync()
    {
        await _aliceServices.DisposeAsync();
        await _botServices.DisposeAsync();
        await _scimServices.DisposeAsync();
        await Platform.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file briefly; the temp folder is cleaned by the OS.
        }
    }

    private ServiceProvider Client(string token) => TestAdminClient.Services(Platform.BaseUrl, token);

    private sealed class ListLoggerProvider(List<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(logs);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(List<string> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (logs)
                logs.Add(formatter(state, exception) + exception);
        }
    }
}

/// <summary>What one CLI invocation produced.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error, IReadOnlyList<string> Logs)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
