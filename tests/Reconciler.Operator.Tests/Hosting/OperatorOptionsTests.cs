using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
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

    public static TheoryData<string, TimeSpan> OutOfRangeTimings()
    {
        var data = new TheoryData<string, TimeSpan>();
        foreach (var option in new[] { nameof(OperatorOptions.ResyncInterval), nameof(OperatorOptions.LeaseDuration), nameof(OperatorOptions.RenewDeadline), nameof(OperatorOptions.RetryPeriod), nameof(OperatorOptions.WatchBackoff) })
        {
            // The longest Go duration (timers throw above about 49.7 days), and nothing or less.
            data.Add(option, TimeSpan.FromHours(2562047));
            data.Add(option, TimeSpan.Zero);
            data.Add(option, TimeSpan.FromSeconds(-1));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OutOfRangeTimings))]
    public async Task A_timing_out_of_range_is_refused_at_start_naming_the_option(string option, TimeSpan value)
    {
        var options = new OperatorOptions { Kubeconfig = "/nonexistent/kubeconfig" };
        typeof(OperatorOptions).GetProperty(option)!.SetValue(options, value);
        using var error = new StringWriter();

        var exitCode = await OperatorRunner.RunAsync(options, NullLoggerFactory.Instance, error, CancellationToken.None);

        exitCode.Should().Be(2, "a usage error, found before the cluster configuration is read: {0}", error);
        error.ToString().Should().StartWith("error: ").And.Contain(option);
    }

    [Theory]
    [InlineData(10, 10, 2)]
    [InlineData(15, 20, 2)]
    [InlineData(15, 10, 10)]
    [InlineData(15, 10, 12)]
    public async Task Leader_election_timings_out_of_order_are_refused_at_start(int leaseSeconds, int renewSeconds, int retrySeconds)
    {
        var options = new OperatorOptions
        {
            Kubeconfig = "/nonexistent/kubeconfig",
            LeaseDuration = TimeSpan.FromSeconds(leaseSeconds),
            RenewDeadline = TimeSpan.FromSeconds(renewSeconds),
            RetryPeriod = TimeSpan.FromSeconds(retrySeconds),
        };
        using var error = new StringWriter();

        var exitCode = await OperatorRunner.RunAsync(options, NullLoggerFactory.Instance, error, CancellationToken.None);

        exitCode.Should().Be(2, "a usage error, found before the cluster configuration is read: {0}", error);
        error.ToString().Should().StartWith("error: ").And.Contain("LeaseDuration").And.Contain("must be longer than RenewDeadline");
    }
}
