using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>A template action left in a manifest is named by its head and key; its arguments, which may be an inline secret, are never shown.</summary>
public sealed class UnrenderedTemplateTests
{
    private const string Canary = "INLINE16-hunter2";

    public static TheoryData<string, string, string> Templates => new()
    {
        // why, document, what the message names
        { "a trimming action breaks the YAML: the reader's message names the key", Doc("SsoProvider", "okta", $$$"""
            type: Okta
            oidc:
              clientId: abc
              clientSecret: {{- .Values.s | default "{{{Canary}}}" }}
            """), "{{- .Values.s ... }} in \"clientSecret\"" },
        { "a quoted action in a secret's field", Doc("SsoProvider", "okta", $$$"""
            type: Okta
            oidc: {clientId: abc, clientSecret: "{{ .Values.s | default \"{{{Canary}}}\" }}"}
            """), "secrets are referenced, never inline: remove \"clientSecret\"" },
        { "a quoted action in a plain field", Agent("a", $$$"""categories: ['{{ default "{{{Canary}}}" .Values.name }}']"""), "{{ default ... }}" },
        { "an action in a list item breaks the YAML", Agent("a", $$$"""categories: [{{- printf "%s" "{{{Canary}}}" }}]"""), "{{- printf ... }}" },
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void No_report_format_shows_an_actions_arguments(string why, string document, string named)
    {
        var report = Validate(document);
        var here = Directory.GetCurrentDirectory();

        report.IsValid.Should().BeFalse(why);
        report.Errors().Should().Contain(d => d.Message.Contains(named, StringComparison.Ordinal), $"{why}; got:\n{report.Errors().Describe()}");
        new[]
        {
            ReportFormatter.FormatText(report, here), ReportFormatter.FormatJson(report, here),
            ReportFormatter.FormatSarif(report, here, "test"), ReportFormatter.FormatJunit(report, here),
        }.Should().NotContain(output => output.Contains(Canary, StringComparison.Ordinal), why);
    }

    [Theory]
    [InlineData("{{ .Values.level }}", "{{ .Values.level }}")]
    [InlineData("{{- $lang -}}", "{{- $lang }}")]
    [InlineData("billing {{ include \"name\" . }}", "{{ include ... }}")]
    public void The_message_shows_the_action_up_to_its_head(string value, string shown) =>
        UnrenderedTemplate.Message(value).Should().StartWith($"unrendered template {shown}: render the manifests");
}
