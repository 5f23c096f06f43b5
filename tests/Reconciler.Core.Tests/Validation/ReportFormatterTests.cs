using System.Text.Json;
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
    public void Summary_WhenValid_CountsResources() =>
        ReportFormatter.Summary(Validate()).Should().Be("Valid: 4 resources.");
}
