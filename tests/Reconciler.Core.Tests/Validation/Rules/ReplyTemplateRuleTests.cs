using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Validation.Rules;

/// <summary>Reply templates: shortcut, texts and placeholders are errors; a language nobody of the template's units speaks is a warning.</summary>
public sealed class ReplyTemplateRuleTests
{
    private static string Template(string name, string shortcut, string texts, string extra = "") =>
        Doc("ReplyTemplate", name, $"shortcut: {shortcut}\ntitle: {name}\ntexts: {texts}\n{extra}");

    private static string Speaker(string name, string languages, string units = "[]", bool active = true) =>
        Agent(name, $"languages: {languages}\nbusinessUnitRefs: {units}\nactive: {(active ? "true" : "false")}");

    public static TheoryData<string, string, string> Failing => new()
    {
        { "a shortcut starts with a slash", Template("a", "refund", "{en: Hi}"), DiagnosticCodes.Shortcut },
        { "a shortcut is one lower-case word", Template("a", "\"/Refund now\"", "{en: Hi}"), DiagnosticCodes.Shortcut },
        { "a placeholder is closed", Template("a", "/a", "{en: \"Hi {{customer.name\"}"), DiagnosticCodes.Placeholder },
        { "a placeholder is a dotted name", Template("a", "/a", "{en: \"Hi {{customer name}}\"}"), DiagnosticCodes.Placeholder },
        { "texts are keyed by BCP-47 tags", Template("a", "/a", "{en_US: Hi}"), DiagnosticCodes.LanguageTag },
        { "a language is listed once, ignoring case", Template("a", "/a", "{en: Hi, EN: Hello}"), DiagnosticCodes.DuplicateItem },
        { "a template needs a text", Template("a", "/a", "{}"), DiagnosticCodes.MissingRequired },
        { "businessUnitRefs name BusinessUnits", Template("a", "/a", "{en: Hi}", "businessUnitRefs: [{name: sales}]"), DiagnosticCodes.ReferenceNotFound },
        { "tags are distinct ignoring case", Template("a", "/a", "{en: Hi}", "tags: [Refund, refund]"), DiagnosticCodes.DuplicateItem },
    };

    [Theory]
    [MemberData(nameof(Failing))]
    public void Validate_WhenATemplateRuleIsBroken_ReportsItsCode(string why, string documents, string code)
    {
        var report = Validate(Speaker("polyglot", "[en, de, pt-BR]"), documents);

        report.Errors().Select(d => d.Code).Should().Contain(code, $"{why}; got:\n{report.Errors().Describe()}");
    }

    public static TheoryData<string, string, string[]> Languages => new()
    {
        { "a language somebody speaks is fine", Speaker("ana", "[en, de]") + Template("t", "/t", "{en: Hi, de: Hallo}"), [] },
        { "a language nobody speaks is never offered", Speaker("ana", "[en]") + Template("t", "/t", "{en: Hi, de: Hallo}"), ["spec.texts.de"] },
        { "only the template's units count", Speaker("ana", "[de]", "[{name: support}]") + Speaker("bo", "[en]") + Template("t", "/t", "{de: Hallo, en: Hi}", "businessUnitRefs: [{name: support}]"), ["spec.texts.en"] },
        { "without units every agent counts", Speaker("ana", "[de]", "[{name: support}]") + Speaker("bo", "[en]") + Template("t", "/t", "{de: Hallo, en: Hi}"), [] },
        { "an inactive agent answers no chats", Speaker("ana", "[en]") + Speaker("bo", "[de]", active: false) + Template("t", "/t", "{en: Hi, de: Hallo}"), ["spec.texts.de"] },
        { "a regional speaker reads the plain language", Speaker("ana", "[pt-BR]") + Template("t", "/t", "{pt: Olá}"), [] },
        { "a plain speaker reads the regional text", Speaker("ana", "[pt]") + Template("t", "/t", "{pt-BR: Olá}"), [] },
        { "languages compare ignoring case", Speaker("ana", "[PT-br]") + Template("t", "/t", "{pt-BR: Olá}"), [] },
        { "a set without agents is not judged", Template("t", "/t", "{de: Hallo, en: Hi}"), [] },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public void Validate_WarnsOnlyAboutLanguagesNoAgentOfTheTemplateSpeaks(string why, string documents, string[] warned)
    {
        // Without the background's agent, whose languages are none.
        var report = ManifestValidator.ValidateYaml(Doc("BusinessUnit", "support", "displayName: Support") + documents, "test.yaml");

        report.Errors().Should().BeEmpty(why);
        report.Diagnostics.Where(d => !d.IsError).Select(d => (d.Code, d.Path)).Should()
            .BeEquivalentTo(warned.Select(p => (DiagnosticCodes.UnspokenLanguage, p)), why);
    }

    [Fact]
    public void Validate_WhenALanguageIsUnspoken_PointsAtItsKeyAndNamesTheUnits()
    {
        var yaml = Doc("BusinessUnit", "support", "displayName: Support") + Speaker("ana", "[en]", "[{name: support}]")
            + Template("t", "/t", "\n  en: Hi\n  de: Hallo", "businessUnitRefs: [{name: support}]");

        var warning = ManifestValidator.ValidateYaml(yaml, "test.yaml").Diagnostics.Single();

        warning.IsError.Should().BeFalse();
        (warning.Path, warning.Line).Should().Be(("spec.texts.de", yaml.Split('\n').ToList().FindIndex(l => l.Contains("de: Hallo", StringComparison.Ordinal)) + 1));
        warning.Message.Should().Contain("no active agent of support speaks \"de\"");
    }
}
