namespace Reconciler.Cli.Tests.Spreadsheets;

/// <summary>Import writes the files it adds and edits all or none.</summary>
public sealed class ImportWriteTests : IDisposable
{
    private readonly SheetWorkspace _workspace = new();

    [Fact]
    public async Task A_file_that_cannot_be_written_is_named_and_no_other_file_is_added_or_changed()
    {
        // New agents of billing, support and sales: billing.yaml and support.yaml are new files, sales.yaml is appended to.
        await File.WriteAllTextAsync(_workspace.PathOf("agents.csv"), """
            Email,Display name,Role,Business units
            new.billing@acme.example,New Billing,agent,billing
            new.support@acme.example,New Support,agent,support
            new.sales@acme.example,New Sales,agent,sales

            """);
        var blocked = Path.Combine(_workspace.Manifests, "agents", "support.yaml");
        Directory.CreateDirectory(blocked);
        var before = _workspace.Snapshot();

        var import = await _workspace.RunAsync("import", "-f", "agents.csv", "--output-dir", "org");

        import.ExitCode.Should().Be(1, import.ToString());
        import.Error.Should().Contain($"cannot write {blocked}: it is a folder, not a file; nothing was written\n");
        _workspace.Snapshot().Should().BeEquivalentTo(before, "billing.yaml is not added and sales.yaml is unchanged");
        Directory.GetFileSystemEntries(Path.Combine(_workspace.Manifests, "agents")).Should().HaveCount(6, "five manifests and the folder, no temporary file");
    }

    public void Dispose() => _workspace.Dispose();
}
