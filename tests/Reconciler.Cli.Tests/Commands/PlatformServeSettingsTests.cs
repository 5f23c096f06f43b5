using Reconciler.Cli.Commands;
using Reconciler.Platform.Contract;

namespace Reconciler.Cli.Tests.Commands;

public sealed class PlatformServeSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("reconciler-serve-settings-").FullName;

    [Fact]
    public void A_config_file_leaves_out_what_has_a_default_and_may_have_comments_and_trailing_commas()
    {
        var path = Write("""
            // the SCIM bridge's token
            {"tokens": [{"name": "scim", "tokenFile": "scim-token",}], "rateLimit": {"permitsPerSecond": 5}}
            """);

        var (settings, error) = PlatformServeSettings.Load(path);

        error.Should().BeNull();
        settings!.Tokens.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Name = "scim",
            Scopes = new[] { AdminApi.ReadScope, AdminApi.WriteScope },
            TokenFile = Path.Combine(_directory, "scim-token"),
        });
        settings.RateLimit.Should().Be(new PlatformServeSettings.RateLimitSetting { PermitsPerSecond = 5 });
        PlatformServeSettings.Load(Write("{}")).Settings!.Tokens.Should().BeEmpty();
    }

    [Theory]
    [InlineData("{\"tokens\": [{\"name\": \"scim\",\n \"scope\": []}]}", ":2:10: The JSON property 'scope' could not be mapped to any .NET member contained in type")]
    [InlineData("{\"rateLimit\": {\"permitsPerSecond\": \"many\"}}", ":1:42: The JSON value could not be converted to System.Int32.")]
    [InlineData("{\"tokens\": [{\"name\": \"scim\", \"tokenFile\": 5}]}", ":1:44: The JSON value could not be converted to System.String.")]
    [InlineData("{\"tokens\": [}", ":1:13: '}' is an invalid start of a value.")]
    [InlineData("{\"tokens\": [{\"name\": \"scïm\", \"tokenFile\": 5}]}", ":1:44: The JSON value could not be converted to System.String.")]
    [InlineData("\uFEFF{\"tokens\": [}", ":1:13: '}' is an invalid start of a value.")]
    public void A_problem_names_the_file_and_line(string text, string problem)
    {
        var path = Write(text);

        PlatformServeSettings.Load(path).Error.Should().StartWith(path + problem);
    }

    [Theory]
    [InlineData("{\"tokens\": null}", "tokens is null; expected a list of tokens")]
    [InlineData("{\"tokens\": [{\"name\": \"scim\", \"tokenFile\": \"scim-token\"}, null]}", "tokens[1] is null; expected a token")]
    [InlineData("{\"tokens\": [{\"name\": \"scim\", \"scopes\": null, \"tokenFile\": \"scim-token\"}]}", "tokens[0].scopes is null; expected a list of scopes")]
    [InlineData("{\"tokens\": [{\"name\": \"scim\", \"scopes\": [\"admin:read\", null], \"tokenFile\": \"scim-token\"}]}", "tokens[0].scopes[1] is null; expected admin:read or admin:write")]
    [InlineData("{\"tokens\": [{\"name\": \"scim\", \"tokenFile\": \"\"}]}", "tokens[0].tokenFile is empty; expected the file holding the token")]
    [InlineData("{\"tokens\": [{\"name\": \"scim\", \"tokenFile\": \"scim\\u0000token\"}]}", "tokens[0].tokenFile holds a NUL character")]
    public void A_member_that_cannot_be_used_is_a_problem_naming_it_not_an_exception(string text, string problem)
    {
        var path = Write(text);

        var (settings, error) = PlatformServeSettings.Load(path);

        settings.Should().BeNull();
        error.Should().StartWith($"{path}: {problem}");
    }

    [Fact]
    public void A_token_flag_with_an_empty_file_is_a_problem_not_an_exception()
    {
        var (token, error) = PlatformServeSettings.ParseToken("name=scim,file=");

        token.Should().BeNull();
        error.Should().Be("--token 'name=scim,file=': file= is empty; expected the file holding the token");
    }

    [Fact]
    public void A_token_given_both_a_file_and_a_variable_is_refused_rather_than_one_of_them_taken_silently()
    {
        var tokenFile = Path.Combine(_directory, "scim-token");
        File.WriteAllText(tokenFile, "from-the-file");
        var fromFlag = PlatformServeSettings.ParseToken($"name=scim,file={tokenFile},env=SCIM_TOKEN").Token!;
        var fromConfig = PlatformServeSettings.Load(Write("""{"tokens": [{"name": "scim", "tokenFile": "scim-token", "tokenEnvironmentVariable": "SCIM_TOKEN"}]}""")).Settings!.Tokens[0];

        foreach (var setting in new[] { fromFlag, fromConfig })
        {
            var (tokens, error) = PlatformServeSettings.ResolveTokens([setting], _ => "from-the-variable");

            tokens.Should().BeEmpty();
            error.Should().Be($"token 'scim' names both a file ({tokenFile}) and an environment variable (SCIM_TOKEN); give one, so that which token is in use is never a guess");
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_directory, $"platform-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        return path;
    }
}
