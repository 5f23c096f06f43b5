using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Tests;

public sealed class PlatformServerOptionsTests
{
    private const string SharedToken = "0123456789abcdef-shared";

    [Fact]
    public void Two_principals_with_one_token_value_are_refused_without_printing_the_token()
    {
        // A reader and a writer given the same value: every request with it would act and be audited as the last one.
        var options = new PlatformServerOptions
        {
            Tokens =
            [
                PlatformToken.Admin("deploy", SharedToken),
                new PlatformToken("scim", SharedToken, [AdminApi.ReadScope]),
            ],
        };

        var result = new PlatformServerOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().ContainSingle().Which.Should().Be("Token of 'scim' is the token of 'deploy' too; each principal needs its own token.");
        result.FailureMessage.Should().NotContain(SharedToken);
    }

    [Fact]
    public void Principals_with_their_own_tokens_are_accepted()
    {
        var options = new PlatformServerOptions
        {
            Tokens = [PlatformToken.Admin("deploy", SharedToken + "-deploy"), new PlatformToken("scim", SharedToken + "-scim", [AdminApi.ReadScope])],
        };

        new PlatformServerOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
    }
}
