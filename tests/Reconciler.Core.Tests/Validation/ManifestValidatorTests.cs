using CsCheck;
using Reconciler.Core.Validation;
using static Reconciler.Core.Tests.TestManifests;

namespace Reconciler.Core.Tests.Validation;

public sealed class ManifestValidatorTests
{
    private static readonly string[] Problems =
    [
        "",
        "supervisorRef: {name: nobody}",
        "roleRef: {name: missing}",
        "mobile: '12'",
        "languages: [en, en]",
        "businessUnitRefs: [{name: support}, {name: gone}]",
    ];

    [Fact]
    public void A_large_sets_rules_run_side_by_side_and_report_what_one_after_another_reports()
    {
        // From 1,000 resources the rules run in parallel; the report must be the rules' findings in rule order, sorted
        // by position, as one pass over the rules makes it.
        Gen.Int.Sample(
            seed =>
            {
                var random = new Random(seed);
                var agents = Enumerable.Range(0, 1_050).Select(i =>
                {
                    var email = random.Next(200) == 0 ? "twice@acme.example" : "";
                    var supervisor = random.Next(50) == 0 ? $"supervisorRef: {{name: a{(i + 1) % 1_050}}}\n" : "";
                    return Agent($"a{i}", supervisor + Problems[random.Next(Problems.Length)], email);
                });
                var set = Load(Background + string.Concat(agents));

                var report = ManifestValidator.Validate(set);

                var context = new ValidationContext(set);
                var oneAfterAnother = set.Diagnostics.Concat(ManifestValidator.Rules.SelectMany(r => r.Check(context)))
                    .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column);
                report.Diagnostics.Select(d => $"{d} [{d.Code}]").Should().Equal(oneAfterAnother.Select(d => $"{d} [{d.Code}]"));
                report.Diagnostics.Select(d => d.Code).Distinct().Should().HaveCountGreaterThan(3, "the set breaks several rules");
            },
            iter: 8);
    }
}
