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

    [Theory]
    [InlineData("scim\u001b[2J", "Token principal \"scim\\u001B[2J\" is not a principal name: expected letters, digits and . _ - @ : (at most 128).")]
    [InlineData("ops team", "Token principal \"ops team\" is not a principal name")]
    [InlineData("deploy\u202Egnp", "Token principal \"deploy\\u202Egnp\" is not a principal name")]
    public void A_principal_name_that_is_no_name_is_refused_and_shown_escaped(string name, string failure)
    {
        // The name is printed at start and recorded as the actor of every audit event the token makes.
        var options = new PlatformServerOptions { Tokens = [PlatformToken.Admin(name, SharedToken)] };

        var result = new PlatformServerOptionsValidator().Validate(null, options);

        result.Failures.Should().ContainSingle().Which.Should().StartWith(failure);
    }

    [Fact]
    public void A_short_token_is_refused_naming_where_it_was_read_and_not_the_token()
    {
        var options = new PlatformServerOptions { Tokens = [PlatformToken.Admin("admin", "short-SECRET") with { Source = "the environment variable RECONCILER_PLATFORM_TOKEN" }] };

        var result = new PlatformServerOptionsValidator().Validate(null, options);

        result.Failures.Should().ContainSingle().Which.Should().Be("Token of 'admin' (from the environment variable RECONCILER_PLATFORM_TOKEN) must be at least 16 characters.");
        result.FailureMessage.Should().NotContain("SECRET");
    }

    [Fact]
    public void A_token_without_a_scope_is_refused_as_the_token_nothing_can_be_done_with()
    {
        var options = new PlatformServerOptions { Tokens = [new PlatformToken("scim", SharedToken, [])] };

        var result = new PlatformServerOptionsValidator().Validate(null, options);

        result.Failures.Should().ContainSingle().Which.Should().Be("Token of 'scim' has no scope, so every request with it would be refused; give it admin:read, admin:write or both.");
    }
}
