using Microsoft.Extensions.Time.Testing;
using Reconciler.Kubernetes.Configuration;

namespace Reconciler.Kubernetes.Tests.Configuration;

public sealed class RotatingTokenFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("token-file-tests").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Token_IsReadAgainAfterAMinute_OrAtOnceAfterARefusal_AndKeptWhileTheFileCannotBeRead()
    {
        var time = new FakeTimeProvider();
        var path = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(path, "first\n");
        var tokens = new RotatingTokenFile(path, time);
        (await tokens.GetAuthenticationHeaderAsync(default)).Parameter.Should().Be("first");

        await File.WriteAllTextAsync(path, "second");
        (await tokens.GetAuthenticationHeaderAsync(default)).Parameter.Should().Be("first", "within a minute the token read is used, as client-go's cached file token source does");
        (await tokens.RefreshAsync("first", default))!.Parameter.Should().Be("second", "a refused token sends the file to be read at once");
        (await tokens.RefreshAsync("second", default)).Should().BeNull("the file still holds the token just refused");

        await File.WriteAllTextAsync(path, "third");
        time.Advance(TimeSpan.FromMinutes(1));
        (await tokens.GetAuthenticationHeaderAsync(default)).Parameter.Should().Be("third");

        File.Delete(path);
        time.Advance(TimeSpan.FromMinutes(1));
        (await tokens.GetAuthenticationHeaderAsync(default)).Parameter.Should().Be("third", "while the file is being replaced the last token read is still sent");
    }
}
