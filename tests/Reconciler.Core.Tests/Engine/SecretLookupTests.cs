using Reconciler.Core.Engine;

namespace Reconciler.Core.Tests.Engine;

/// <summary>A secret kept as text (a file, a Kubernetes Secret's key) is the value the CLI and the operator both send.</summary>
public sealed class SecretLookupTests
{
    [Theory]
    [InlineData("s3cret", "s3cret")]
    [InlineData("s3cret\n", "s3cret")]
    [InlineData("s3cret\r\n", "s3cret")]
    [InlineData("s3cret\n\n", "s3cret")]
    [InlineData(" s3cret \n", " s3cret ")]
    [InlineData("line one\nline two\n", "line one\nline two")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")]
    public void A_value_kept_as_text_is_sent_without_the_line_breaks_that_end_it_and_nothing_else_changed(string text, string sent)
    {
        var lookup = SecretLookup.FromText(text, "empty");

        lookup.Value.Should().Be(sent);
        lookup.Error.Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\r\n\r\n")]
    [InlineData("   \n")]
    public void A_value_of_nothing_but_line_breaks_and_spaces_is_no_secret(string text)
    {
        var lookup = SecretLookup.FromText(text, "Secret ns/okta key 'clientSecret' is empty");

        lookup.Value.Should().BeNull();
        lookup.Error.Should().Be("Secret ns/okta key 'clientSecret' is empty");
    }
}
