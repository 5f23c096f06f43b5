using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Xunit.Abstractions;

namespace Reconciler.Platform.Client.Tests.Rules;

/// <summary>
/// <c>validate</c> and the reference platform (real HTTP on loopback) judge mapped manifests alike: valid manifests of
/// every kind are accepted by both; manifests with one rule broken are rejected by both, validate at the field.
/// </summary>
public sealed class WireRulesAgreementTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int ValidPerKind = 40;
    private const int NearValidPerRule = 6;
    private const string Token = "tok-wire-rules-0123456789";
    private static readonly ChangeReason Reason = new("reconciler: wire rules agreement test");

    private RunningPlatform _platform = null!;
    private ClientFactory _factory = null!;
    private string _directory = null!;
    private IReadOnlyList<string> _catalog = null!;
    private IReadOnlyList<string> _placeholders = null!;
    private BuiltInRoles _roles = null!;

    public async Task InitializeAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "reconciler-wire-rules", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _platform = await PlatformServer.StartAsync(new PlatformServerOptions
        {
            Database = new DatabaseOptions { ConnectionString = Path.Combine(_directory, "platform.db") },
            Tokens = [PlatformToken.Admin("wire-rules-tests", Token)],
        });
        _factory = new ClientFactory(_platform.BaseUrl, Token);
        _catalog = (await _factory.Client.ListPermissionsAsync(CancellationToken.None)).Value!;
        _placeholders = (await _factory.Client.ListPlaceholdersAsync(CancellationToken.None)).Value!;
        _roles = new BuiltInRoles((await _factory.Client.ListAsync("roles", CancellationToken.None)).Value!.ToDictionary(r => r.Key, r => r.Id));
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _platform.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file on a slow machine; the temp folder is cleaned by the OS.
        }
    }

    [Fact]
    public async Task The_platform_accepts_the_mapped_body_of_every_valid_manifest_that_validate_accepts()
    {
        var kinds = new (string Kind, Gen<Resource> Gen)[]
        {
            ("Agent", ValidManifests.Agent.Select(r => (Resource)r)),
            ("Role", ValidManifests.Role(_catalog).Select(r => (Resource)r)),
            ("BusinessUnit", ValidManifests.BusinessUnit.Select(r => (Resource)r)),
            ("OfficeHours", ValidManifests.OfficeHours.Select(r => (Resource)r)),
            ("TagGroup", ValidManifests.TagGroup.Select(r => (Resource)r)),
            ("SsoProvider", ValidManifests.SsoProvider.Select(r => (Resource)r)),
            ("Organization", ValidManifests.Organization.Select(r => (Resource)r)),
            ("Channel", ValidManifests.Channel.Select(r => (Resource)r)),
            ("ReplyTemplate", ValidManifests.ReplyTemplate(_placeholders).Select(r => (Resource)r)),
        };
        var cases = 0;
        var clock = Stopwatch.StartNew();
        foreach (var (kind, gen) in kinds)
        {
            await gen.SampleAsync(async resource =>
            {
                var yaml = ManifestWriter.ToYaml([resource]);
                var report = ManifestValidator.ValidateYaml(yaml);
                report.Diagnostics.Where(d => d.IsError).Should().BeEmpty($"validate accepts a valid {kind}:\n{yaml}");

                var result = await SendAsync(resource);
                result.Outcome.Should().Be(PlatformOutcome.Ok, $"the platform accepts a valid {kind}: {result.Message} {Describe(result.FieldErrors)}\n{yaml}");
                if (!KindMappers.For(resource).IsSingleton)
                    (await _factory.Client.DeleteAsync(KindMappers.For(resource).Collection, result.Value!.Id, result.Value.Version, Reason, CancellationToken.None)).IsOk.Should().BeTrue();
                cases++;
            }, iter: ValidPerKind, threads: 1);
        }

        output.WriteLine($"{cases} valid manifests ({ValidPerKind} per kind, {kinds.Length} kinds) accepted by validate and the platform in {clock.ElapsedMilliseconds} ms");
        cases.Should().Be(ValidPerKind * kinds.Length);
    }

    [Fact]
    public async Task Validate_and_the_platform_reject_every_near_valid_manifest_validate_at_the_broken_field()
    {
        var breakers = NearValidManifests.All(_catalog, _placeholders);
        var cases = 0;
        var clock = Stopwatch.StartNew();
        foreach (var breaker in breakers)
        {
            await breaker.Manifests.SampleAsync(async resource =>
            {
                var yaml = ManifestWriter.ToYaml([resource]);
                var report = ManifestValidator.ValidateYaml(yaml, "near-valid.yaml");
                var errors = report.Diagnostics.Where(d => d.IsError).ToList();
                errors.Should().Contain(d => d.Path == breaker.Path && d.File == "near-valid.yaml" && d.Line > 0 && d.Column > 0,
                    $"validate reports \"{breaker}\" with a position; got {string.Join("; ", errors.Select(e => $"{e.Line}:{e.Column} {e.Path}: {e.Message}"))}\n{yaml}");

                var result = await SendAsync(resource);
                result.Outcome.Should().Be(PlatformOutcome.Invalid, $"the platform rejects \"{breaker}\" with 422: {result.Message}\n{yaml}");
                cases++;
            }, iter: NearValidPerRule, threads: 1);
        }

        output.WriteLine($"{cases} near-valid manifests ({breakers.Count} rules x {NearValidPerRule}) rejected by validate (with position) and by the platform (422) in {clock.ElapsedMilliseconds} ms");
        cases.Should().Be(NearValidPerRule * breakers.Count);
    }

    [Fact]
    public async Task A_placeholder_outside_the_catalog_passes_validate_but_the_planner_and_the_platform_name_it()
    {
        var unknown = Gen.Select(Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz"], 1, 10], Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz"], 1, 10])
            .Select((a, b) => a + "." + b).Where(n => !_placeholders.Contains(n));
        var cases = 0;
        await Gen.Select(ValidManifests.ReplyTemplate(_placeholders), unknown).SampleAsync(async (template, name) =>
        {
            var language = template.Spec.Texts.Keys.First();
            var broken = template with { Spec = template.Spec with { Texts = new Dictionary<string, string>(template.Spec.Texts) { [language] = $"Hi {{{{{name}}}}}" } } };
            ManifestValidator.ValidateYaml(ManifestWriter.ToYaml([broken])).Diagnostics.Where(d => d.IsError).Should().BeEmpty("validate does not know the platform's catalog");

            var mapper = KindMappers.For(broken);
            var desired = mapper.Map(broken, new MappingContext(_roles, SecretValues.Placeholders([]), IncludeSecretValues: true));
            WireChecks.Of(mapper, desired, placeholderCatalog: _placeholders.ToHashSet(StringComparer.Ordinal))
                .Should().ContainSingle().Which.Should().Match<WireViolation>(v => v.ManifestPath == $"spec.texts.{language}" && v.Violation.Expected.Contains(name));

            var result = await SendAsync(broken);
            result.Outcome.Should().Be(PlatformOutcome.Invalid);
            result.FieldErrors!.Should().ContainKey($"texts.{language}");
            cases++;
        }, iter: 20, threads: 1);
        cases.Should().Be(20);
    }

    [Fact]
    public void The_checked_dto_and_the_sent_body_read_back_as_the_platform_reads_it_break_the_same_rules()
    {
        var permissions = _catalog.ToHashSet(StringComparer.Ordinal);
        var placeholders = _placeholders.ToHashSet(StringComparer.Ordinal);
        var manifests = NearValidManifests.All(_catalog, _placeholders).Select(b => (b.Manifests, Iterations: NearValidPerRule))
            .Append((ValidManifests.Any(_catalog), ValidPerKind * 8))
            .Append((ValidManifests.ReplyTemplate(_placeholders).Select(r => (Resource)r), ValidPerKind));
        var (cases, broken) = (0, 0);
        foreach (var (gen, iterations) in manifests)
        {
            gen.Sample(resource =>
            {
                var controller = KindMappers.For(resource);
                var context = new MappingContext(_roles, SecretValues.Placeholders(controller.SecretReferences(resource)), IncludeSecretValues: true);
                var desired = controller.Map(resource, context);

                var read = (WireObject)desired.Fields.Deserialize(controller.WireType, WireJson.Options)!;
                JsonNode.DeepEquals(JsonSerializer.SerializeToNode(read, controller.WireType, WireJson.Options), JsonSerializer.SerializeToNode(desired.Wire, controller.WireType, WireJson.Options))
                    .Should().BeTrue($"the body holds the DTO as System.Text.Json writes it: {desired.Fields.ToJsonString()}");

                var checkedViolations = WireChecks.Of(controller, desired, permissions, placeholders).Select(v => v.Violation);
                checkedViolations.Should().Equal(WireRules.Check(read, permissions, placeholders), $"the body sent carries every field the rules check\n{ManifestWriter.ToYaml([resource])}");
                cases++;
                broken += checkedViolations.Any() ? 1 : 0;
            }, iter: iterations, threads: 1);
        }

        output.WriteLine($"{cases} manifests ({broken} breaking a rule): the DTO checked and the body sent agree");
        broken.Should().Be(NearValidManifests.All(_catalog, _placeholders).Count * NearValidPerRule, "each near-valid manifest breaks a rule, each valid one none");
    }

    /// <summary>The body the executor would send: mapped by the kind's mapper, secret values in, built-in roles by id.</summary>
    private Task<PlatformResult<PlatformObject>> SendAsync(Resource resource)
    {
        var controller = KindMappers.For(resource);
        var context = new MappingContext(_roles, SecretValues.Placeholders(controller.SecretReferences(resource)), IncludeSecretValues: true);
        var body = controller.Map(resource, context).Fields;
        return controller.IsSingleton
            ? ReplaceOrganizationAsync(body)
            : _factory.Client.CreateAsync(controller.Collection, body, Guid.NewGuid().ToString("N"), Reason, CancellationToken.None);
    }

    private async Task<PlatformResult<PlatformObject>> ReplaceOrganizationAsync(JsonObject body)
    {
        var current = await _factory.Client.GetOrganizationAsync(CancellationToken.None);
        return await _factory.Client.ReplaceOrganizationAsync(current.Value!.Version, body, Reason, CancellationToken.None);
    }

    private static string Describe(IReadOnlyDictionary<string, string[]>? errors) =>
        errors is null ? "" : string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));

    /// <summary>References in the generated manifests point only at built-in roles, which every platform has.</summary>
    private sealed class BuiltInRoles(IReadOnlyDictionary<string, string> ids) : IReferenceResolver
    {
        public ReferenceLookup Resolve(ResourceId target) =>
            target.Kind == "Role" && ids.TryGetValue(target.Name, out var id) ? ReferenceLookup.Of(id) : ReferenceLookup.Missing;
    }
}
