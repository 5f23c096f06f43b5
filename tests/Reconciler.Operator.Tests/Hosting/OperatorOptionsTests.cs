using System.Text.RegularExpressions;
using Reconciler.Operator.Hosting;

namespace Reconciler.Operator.Tests.Hosting;

public sealed class OperatorOptionsTests
{
    [Fact]
    public void TheDefaultIdentity_IsUniquePerProcess_NotTheHostNameAlone()
    {
        var identity = new OperatorOptions().Identity;

        identity.Should().MatchRegex($"^{Regex.Escape(Environment.MachineName)}_[0-9a-f]{{8}}(-[0-9a-f]{{4}}){{3}}-[0-9a-f]{{12}}$");
        identity.Length.Should().BeLessThanOrEqualTo(128, "it is also the events' reportingInstance");
        new OperatorOptions().Identity.Should().NotBe(identity, "two operators on one host must not share the Lease holder identity");
    }
}
