using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CsCheck;
using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Validation;

public sealed class ReportFormatterTests
{
    [Fact]
    public void FormatText_WritesFileLineColumnPathAndMessage()
    {
        var report = Validate(Agent("a", "level: L4"));

        var text = ReportFormatter.FormatText(report, Directory.GetCurrentDirectory());

        text.Should().StartWith("test.yaml:37:10: spec.level: \"L4\" is not one of L1, L2, L3, Expert\n");
        text.Should().EndWith("Invalid: 1 error, 0 warnings (4 resources loaded without errors).\n");
    }

    [Fact]
    public void FormatText_ShowsFilesUnderTheCurrentDirectoryRelativeToIt()
    {
        var baseDirectory = Path.Combine(Path.GetTempPath(), "repo");
        var file = Path.Combine(baseDirectory, "examples", "agents.yaml");
        var report = new ValidationReport([], [Diagnostic.Error("x", new SourceLocation(file, 1, 2), "spec", "bad")]);

        ReportFormatter.FormatText(report, baseDirectory).Should().StartWith("examples/agents.yaml:1:2: spec: bad\n");
    }

    // A message naming another place: each rule's two documents, in a.yaml and b.yaml, and the place the message names.
    public static TheoryData<string, string, string, string> NamingAnotherPlace => new()
    {
        { DiagnosticCodes.DuplicateResource, Doc("Role", "r", "displayName: R"), Doc("Role", "r", "displayName: R"), "here and at org/a.yaml:3:" },
        { DiagnosticCodes.Singleton, Doc("Organization", "acme", "displayName: A\ntimezone: Europe/Berlin"), Doc("Organization", "acme-two", "displayName: B\ntimezone: Europe/Berlin"), "already defined at org/a.yaml:3:" },
        { DiagnosticCodes.DuplicateEmail, Agent("a", email: "same@acme.example"), Agent("b", email: "same@acme.example"), "(org/a.yaml:5:" },
        { DiagnosticCodes.ScheduleOverlap, "", Agent("m", "temporary:\n  - {level: L2, from: 2026-12-07, until: 2026-12-10}\n  - {level: L3, from: 2026-12-09, until: 2026-12-12}"), ", org/b.yaml:" },
    };

    [Theory]
    [MemberData(nameof(NamingAnotherPlace))]
    public void A_message_naming_another_place_names_its_file_as_the_report_names_the_diagnostics_own(string code, string first, string second, string named)
    {
        // As the CLI loads an absolute -f, or any -f of plan and apply (resolved against the working directory).
        var baseDirectory = Path.Combine(Path.GetTempPath(), "repo");
        var report = ManifestValidator.Validate(ManifestLoader.LoadSources(
            [new(Path.Combine(baseDirectory, "org", "a.yaml"), first), new(Path.Combine(baseDirectory, "org", "b.yaml"), Background + second)]));
        report.Errors().Should().ContainSingle(d => d.Code == code, report.Errors().Describe());

        var text = ReportFormatter.FormatText(report, baseDirectory);
        var json = JsonNode.Parse(ReportFormatter.FormatJson(report, baseDirectory))!["diagnostics"]!.AsArray().Single(d => d!["code"]!.GetValue<string>() == code)!;
        var junit = ReportFormatter.FormatJunit(report, baseDirectory);

        text.Should().Contain(named).And.NotContain(baseDirectory);
        json["message"]!.GetValue<string>().Should().Contain(named).And.NotContain(baseDirectory);
        junit.Should().Contain(named).And.NotContain(baseDirectory);
    }

    [Fact]
    public void FormatText_EscapesTerminalControlSequencesInAValueSoTheyCannotForgeTheReport()
    {
        var report = Validate("apiVersion: support.reconciler.dev/v1alpha1\nkind: Role\nmetadata: {name: \"\\e[2J\\e]0;PWNED\\a\\e[31mFAKE: all valid\"}\nspec: {displayName: R}\n");

        var text = ReportFormatter.FormatText(report, Directory.GetCurrentDirectory());

        text.Should().NotContainAny("\u001B", "\u0007");
        text.Should().Contain("metadata.name: \"\\u001B[2J\\u001B]0;PWNED\\u0007\\u001B[31mFAKE: all valid\"");
    }

    [Theory]
    [InlineData("\u001B", "\\u001B")]
    [InlineData("\u0007", "\\u0007")]
    [InlineData("\u0000", "\\u0000")]
    [InlineData("\r", "\\u000D")]
    [InlineData("\u007F", "\\u007F")]
    [InlineData("\u009B", "\\u009B")]
    public void FormatText_WritesEachControlCharacterOfAFilePathOrMessageEscaped(string control, string escaped)
    {
        var report = new ValidationReport([], [Diagnostic.Error("x", new SourceLocation($"a{control}.yaml", 1, 2), $"spec.b{control}", $"c{control}")]);

        ReportFormatter.FormatText(report, Directory.GetCurrentDirectory()).Should().StartWith($"a{escaped}.yaml:1:2: spec.b{escaped}: c{escaped}\n");
    }

    [Fact]
    public void FormatText_HasNoControlCharacterButTheLineEndsWhateverTheDiagnosticsHold()
    {
        Gen.Select(Gen.String, Gen.String, Gen.String).Array[0, 5].Sample(diagnostics =>
        {
            var report = new ValidationReport([], [.. diagnostics.Select(d => Diagnostic.Error("x", new SourceLocation("f" + d.Item1, 1, 1), d.Item2, d.Item3))]);

            var text = ReportFormatter.FormatText(report, Directory.GetCurrentDirectory());

            text.Where(char.IsControl).Should().Equal(Enumerable.Repeat('\n', diagnostics.Length + 1));
        });
    }

    [Fact]
    public void FormatJson_GivesEveryDiagnosticAsDataWithASummary()
    {
        var report = Validate(Agent("a", "level: L4"));

        using var json = JsonDocument.Parse(ReportFormatter.FormatJson(report, Directory.GetCurrentDirectory()));

        var root = json.RootElement;
        root.GetProperty("valid").GetBoolean().Should().BeFalse();
        root.GetProperty("errors").GetInt32().Should().Be(1);
        var diagnostic = root.GetProperty("diagnostics")[0];
        diagnostic.GetProperty("file").GetString().Should().Be("test.yaml");
        diagnostic.GetProperty("line").GetInt32().Should().Be(37);
        diagnostic.GetProperty("column").GetInt32().Should().Be(10);
        diagnostic.GetProperty("path").GetString().Should().Be("spec.level");
        diagnostic.GetProperty("code").GetString().Should().Be(DiagnosticCodes.EnumValue);
        diagnostic.GetProperty("severity").GetString().Should().Be("error");
        diagnostic.GetProperty("message").GetString().Should().Contain("\"L4\"");
    }

    [Fact]
    public void FormatJunit_GivesOneFailedCasePerErrorAtItsLineAndAPassingCaseForAValidFile()
    {
        var report = Validate(Agent("a", "level: L4"));
        var ok = new ValidationReport(report.Resources, [.. report.Diagnostics, Diagnostic.Error("x", new SourceLocation("other.yaml", 3, 5), "spec.a & b", "needs <this>")]);

        var xml = XDocument.Parse(ReportFormatter.FormatJunit(ok, Directory.GetCurrentDirectory()));

        var root = xml.Root!;
        (root.Name.LocalName, (int)root.Attribute("failures")!, (int)root.Attribute("tests")!).Should().Be(("testsuites", 2, 2));
        var failure = root.Elements("testsuite").Single(s => (string)s.Attribute("name")! == "test.yaml").Element("testcase")!.Element("failure")!;
        ((string)failure.Attribute("type")!, failure.Value).Should().Be((DiagnosticCodes.EnumValue, "test.yaml:37:10: spec.level: \"L4\" is not one of L1, L2, L3, Expert"));
        root.Elements("testsuite").Single(s => (string)s.Attribute("name")! == "other.yaml").Element("testcase")!.Element("failure")!.Value.Should().Be("other.yaml:3:5: spec.a & b: needs <this>");
    }

    [Fact]
    public void FormatJunit_WhenValid_HasOnlyPassingCases()
    {
        var report = new ValidationReport(Validate().Resources, []);

        var root = XDocument.Parse(ReportFormatter.FormatJunit(report, Directory.GetCurrentDirectory())).Root!;

        ((int)root.Attribute("failures")!).Should().Be(0);
        root.Descendants("testcase").Should().NotBeEmpty().And.OnlyContain(c => !c.Elements("failure").Any());
    }

    [Fact]
    public void FormatSarif_PointsEachResultAtItsFileLineAndColumn()
    {
        var baseDirectory = Path.Combine(Path.GetTempPath(), "repo");
        var file = Path.Combine(baseDirectory, "org", "my agents.yaml");
        var report = new ValidationReport([],
        [
            Diagnostic.Error(DiagnosticCodes.EnumValue, new SourceLocation(file, 37, 10), "spec.level", "\"L4\" is not one of L1, L2, L3, Expert"),
            Diagnostic.Warning("w", new SourceLocation(file, 0, 0), "", "whole file"),
        ]);

        var sarif = JsonNode.Parse(ReportFormatter.FormatSarif(report, baseDirectory, "1.2.3"))!;

        sarif["version"]!.GetValue<string>().Should().Be("2.1.0");
        var run = sarif["runs"]![0]!;
        run["tool"]!["driver"]!["name"]!.GetValue<string>().Should().Be("reconciler");
        var result = run["results"]![0]!;
        (result["ruleId"]!.GetValue<string>(), result["level"]!.GetValue<string>(), result["message"]!["text"]!.GetValue<string>())
            .Should().Be((DiagnosticCodes.EnumValue, "error", "spec.level: \"L4\" is not one of L1, L2, L3, Expert"));
        var location = result["locations"]![0]!["physicalLocation"]!;
        (location["artifactLocation"]!["uri"]!.GetValue<string>(), location["artifactLocation"]!["uriBaseId"]!.GetValue<string>()).Should().Be(("org/my%20agents.yaml", "%SRCROOT%"));
        (location["region"]!["startLine"]!.GetValue<int>(), location["region"]!["startColumn"]!.GetValue<int>()).Should().Be((37, 10));
        run["results"]![1]!["locations"]![0]!["physicalLocation"]!["region"].Should().BeNull("SARIF lines start at 1: a whole-file problem has no region");
        run["results"]![1]!["level"]!.GetValue<string>().Should().Be("warning");
    }

    /// <summary>Messages quote manifest text, which may hold anything; a lone surrogate cannot travel through an attribute, hence data.</summary>
    public static TheoryData<string, string> TextXmlCannotHold => new()
    {
        { "bell \u0007 here", "bell \\u0007 here" },
        { "nul \u0000", "nul \\u0000" },
        { "escape \u001b[31m", "escape \\u001B[31m" },
        { "lone \ud800 surrogate", "lone \\uD800 surrogate" },
        { "emoji \ud83d\ude00 kept", "emoji \ud83d\ude00 kept" },
        { "tab\tand newline\n kept", "tab\tand newline\n kept" },
    };

    [Theory]
    [MemberData(nameof(TextXmlCannotHold), DisableDiscoveryEnumeration = true)]
    public void FormatJunit_WritesCharactersXmlCannotHoldAsEscapes_AndSarifKeepsThemAsValidJson(string message, string expected)
    {
        var report = new ValidationReport([],
        [
            Diagnostic.Error("x" + message, new SourceLocation("bad" + message + ".yaml", 1, 2), "spec." + message, message),
            Diagnostic.Warning("w", new SourceLocation("bad" + message + ".yaml", 3, 4), "", message),
        ]);

        var xml = XDocument.Parse(ReportFormatter.FormatJunit(report, Directory.GetCurrentDirectory()));
        var sarifText = ReportFormatter.FormatSarif(report, Directory.GetCurrentDirectory(), "1.0.0");
        var sarif = JsonNode.Parse(sarifText)!;

        var failure = xml.Descendants("failure").Single();
        failure.Attribute("message")!.Value.Should().Be(expected);
        failure.Value.Should().EndWith(expected);
        xml.Descendants("system-out").Single().Value.Should().EndWith(expected);
        sarif["runs"]![0]!["results"]![0]!["message"]!["text"]!.GetValue<string>().Should().EndWith(message.Replace('\ud800', '\ufffd'), "JSON escapes control characters; a lone surrogate becomes U+FFFD");
        sarifText.Should().NotContain("\u0007").And.NotContain("\u0000").And.NotContain("\u001b");
    }

    [Fact]
    public void Summary_WhenValid_CountsResources() =>
        ReportFormatter.Summary(Validate()).Should().Be("Valid: 4 resources.");
}
