using System.Globalization;
using System.Text;
using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Tests;

/// <summary>Builds manifests for tests: one document per call, on top of a small valid background set.</summary>
internal static class TestManifests
{
    public static string Doc(string kind, string name, string spec)
    {
        var text = new StringBuilder()
            .Append("apiVersion: support.reconciler.dev/v1alpha1\n")
            .Append(CultureInfo.InvariantCulture, $"kind: {kind}\n")
            .Append(CultureInfo.InvariantCulture, $"metadata: {{name: {name}}}\n")
            .Append("spec:\n");
        foreach (var line in spec.Trim('\n').Split('\n'))
            text.Append("  ").Append(line).Append('\n');
        return text.Append("---\n").ToString();
    }

    /// <summary>What most cases reference: an office hours, a custom role, a business unit and a supervisor.</summary>
    public static readonly string Background =
        Doc("OfficeHours", "emea", """
            timezone: Europe/Berlin
            weekly: [{days: [Monday], opens: "08:00", closes: "18:00"}]
            """)
        + Doc("Role", "team-lead", "displayName: Team lead\npermissions: [agents.read]")
        + Doc("BusinessUnit", "support", "displayName: Support\nofficeHoursRef: {name: emea}")
        + Doc("Agent", "boss", "email: boss@acme.example\ndisplayName: Boss\nroleRef: {name: admin}");

    public static string Agent(string name, string extra = "", string email = "") =>
        Doc("Agent", name, $"email: {(email.Length > 0 ? email : name + "@acme.example")}\ndisplayName: {name}\nroleRef: {{name: agent}}\n{extra}");

    public static ValidationReport Validate(params string[] documents) =>
        ManifestValidator.ValidateYaml(Background + string.Concat(documents), "test.yaml");

    public static ManifestSet Load(string yaml) => ManifestLoader.LoadYaml(yaml, "test.yaml");

    public static IEnumerable<Diagnostic> Errors(this ValidationReport report) => report.Diagnostics.Where(d => d.IsError);

    public static string Describe(this IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => $"{d} [{d.Code}]"));
}
