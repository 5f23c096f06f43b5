using System.Diagnostics;
using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>
/// What diagnostics repeat of the input (keys, values, alias names, paths) is an excerpt: a megabyte value that an alias
/// repeats hundreds of times must not make a report of gigabytes.
/// </summary>
public sealed class EchoedInputTests
{
    private const int PerDiagnostic = 2048;

    private static readonly string Huge = new('k', 1_000_000);

    // Loose enough for a 2-core CI running every suite at once; the unbounded messages took minutes.
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(10);

    public static TheoryData<string, string, string> Cases => new()
    {
        { "an unknown field's key, repeated by aliases in a holiday", Doc("OfficeHours", "hols", $$"""
            timezone: Europe/Berlin
            holidays:
            - {date: "2026-12-25", name: Xmas, ? &k {{Huge}} : 1, {{Aliases("*k : 1", 50)}}}
            """), DiagnosticCodes.UnknownField },
        { "a secret-looking key", Doc("OfficeHours", "hols", $"timezone: Europe/Berlin\nholidays: [{{date: \"2026-12-25\", name: Xmas, ? password{Huge} : 1}}]"), DiagnosticCodes.InlineSecret },
        { "a key repeated by aliases in a mapping", Doc("OfficeHours", "hols", $"{{? &k {Huge} : 1, {Aliases("*k : 1", 50)}}}"), DiagnosticCodes.DuplicateKey },
        { "an alias of no anchor", Doc("OfficeHours", "hols", $"timezone: *{Huge}"), DiagnosticCodes.YamlSyntax },
        { "permissions repeated by aliases", Doc("Role", "huge", $"displayName: Huge\npermissions: [&p {Huge}, {Aliases("*p", 400)}]"), DiagnosticCodes.DuplicateItem },
        { "a permission that is no permission name", Doc("Role", "huge", $"displayName: Huge\npermissions: [&p \"{Huge}!\", {Aliases("*p", 400)}]"), DiagnosticCodes.PermissionName },
        { "a mobile number", Agent("huge", $"mobile: &m \"{Huge}\"\ncategories: [*m, *m]"), DiagnosticCodes.Phone },
        { "languages", Agent("huge", $"languages: [&l {Huge}, {Aliases("*l", 100)}]"), DiagnosticCodes.Length },
        { "an enum value", Agent("huge", $"level: {Huge}"), DiagnosticCodes.EnumValue },
        { "an unrendered template's value path", Agent("huge", $"level: \"{{{{ .Values.{Huge} }}}}\""), DiagnosticCodes.UnrenderedTemplate },
        { "a key in a template that breaks the YAML", Agent("huge", $"{Huge}: {{{{- .Values.x }}}}"), DiagnosticCodes.UnrenderedTemplate },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_diagnostic_about_huge_input_stays_short(string why, string document, string code)
    {
        var clock = Stopwatch.StartNew();
        var report = Validate(document);
        var text = ReportFormatter.FormatText(report, Directory.GetCurrentDirectory());

        clock.Elapsed.Should().BeLessThan(Quickly, why);
        report.Diagnostics.Select(d => d.Code).Should().Contain(code, why);
        report.Diagnostics.Should().OnlyContain(d => d.Message.Length + d.Path.Length < PerDiagnostic, why);
        text.Length.Should().BeLessThan(PerDiagnostic * (report.Diagnostics.Count + 1), why);
    }

    [Fact]
    public void A_megabyte_value_repeated_400_times_by_an_alias_gives_a_report_smaller_than_the_input()
    {
        var value = new string('x', 1_000_000);
        var yaml = Background + Doc("Role", "huge", $"displayName: Huge\npermissions: [&p \"{value}!\", {Aliases("*p", 400)}]");
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var report = ManifestValidator.ValidateYaml(yaml, "huge.yaml");
        var outputs = new[]
        {
            ReportFormatter.FormatText(report, Directory.GetCurrentDirectory()),
            ReportFormatter.FormatJson(report, Directory.GetCurrentDirectory()),
            ReportFormatter.FormatSarif(report, Directory.GetCurrentDirectory(), "test"),
            ReportFormatter.FormatJunit(report, Directory.GetCurrentDirectory()),
        };

        clock.Elapsed.Should().BeLessThan(Quickly);
        // Each diagnostic repeating the value held 2 MB: 400 of them were most of a gigabyte.
        (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore).Should().BeLessThan(200_000_000);
        report.Diagnostics.Should().HaveCountGreaterThan(400);
        outputs.Should().OnlyContain(output => output.Length < yaml.Length);
    }

    private static string Aliases(string alias, int count) => string.Join(", ", Enumerable.Repeat(alias, count));
}
