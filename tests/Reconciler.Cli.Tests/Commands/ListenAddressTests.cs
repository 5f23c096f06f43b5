using Reconciler.Cli.Commands;

namespace Reconciler.Cli.Tests.Commands;

/// <summary>The hosts Kestrel binds as named (an IP address, localhost) or to every interface on purpose (*, +, 0.0.0.0, [::]).</summary>
public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("https://localhost:8443/")]
    [InlineData("http://LOCALHOST:80")]
    [InlineData("http://[::1]:8080")]
    [InlineData("http://[::]:8080")]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://10.1.2.3:8080/base")]
    [InlineData("http://unix:/run/reconciler/platform.sock")]
    public void A_host_that_binds_as_written_is_taken(string url) => ListenAddress.Problem(url).Should().BeNull();

    [Theory]
    [InlineData("http://999.1.1.1:1")]
    [InlineData("http://127.0.0.256:8080")]
    [InlineData("http://platform.example:8080")]
    [InlineData("http://localhost.:8080")]
    [InlineData("http://[::g]:8080")]
    public void A_host_kestrel_would_bind_to_every_interface_is_refused(string url) =>
        ListenAddress.Problem(url).Should().Contain("would listen on every interface");

    [Fact]
    public void Urls_separated_by_semicolons_are_each_one() =>
        ListenAddress.Split(["http://127.0.0.1:1; http://[::1]:2", "http://localhost:3"]).Should().Equal("http://127.0.0.1:1", "http://[::1]:2", "http://localhost:3");
}
