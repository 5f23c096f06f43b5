using Reconciler.Cli.Commands;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Cli.Tests.Commands;

/// <summary>The line each finished resource gets while an apply runs.</summary>
public sealed class ApplyProgressTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_platform_named_resource_or_message_cannot_break_the_line_or_rewrite_the_terminal(bool terminal)
    {
        using var output = new StringWriter();
        using (var progress = new ApplyProgress(output, 1, terminal, TimeProvider.System))
        {
            progress.Report(new ResourceResult(new ResourceId("Role", "evil\u001b[31m\nX"), ChangeAction.Delete, ResourceOutcome.Failed, "r1", "Unavailable: DELETE roles: 500 x\u001b]0;PWNED\u0007", PlatformOutcome.Unavailable));
        }

        var text = output.ToString();
        text.Should().Contain(@"  Failed    Role/evil\u001B[31m\u000AX: Unavailable: DELETE roles: 500 x\u001B]0;PWNED\u0007");
        text.Should().NotContain("\nX").And.NotContain("\u001b[31m").And.NotContain("\u0007");
    }
}
