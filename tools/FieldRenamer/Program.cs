using Microsoft.Build.Locator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.CodeAnalysis.Rename;

// Renames private and internal fields to the .editorconfig convention (dotnet format reports IDE1006 but cannot fix it):
// instance fields _camelCase, mutable static fields s_camelCase; static readonly fields and constants are left alone.
// Usage: dotnet run --project tools/FieldRenamer -- Reconciler.sln [--dry-run]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: FieldRenamer <solution.sln> [--dry-run]");
    return 2;
}

MSBuildLocator.RegisterDefaults();
return await FieldRenamer.RunAsync(args[0], args.Contains("--dry-run"));

/// <summary>Finds fields that break the naming convention and renames each with Roslyn's renamer (every reference follows).</summary>
internal static class FieldRenamer
{
    public static async Task<int> RunAsync(string solutionPath, bool dryRun)
    {
        using var workspace = MSBuildWorkspace.Create();
        var solution = await workspace.OpenSolutionAsync(solutionPath);
        var candidates = await CandidatesAsync(solution);
        var renamed = 0;
        foreach (var (documentId, typeName, oldName, newName) in candidates)
        {
            var where = $"{typeName}.{oldName} -> {newName}";
            var field = await FindAsync(solution.GetDocument(documentId)!, typeName, oldName);
            if (field is null || field.ContainingType.GetMembers(newName).Length > 0)
            {
                Console.Error.WriteLine($"skipped ({(field is null ? "not found" : "name taken")}): {where}");
                continue;
            }

            Console.WriteLine(where);
            renamed++;
            if (!dryRun)
                solution = await Renamer.RenameSymbolAsync(solution, field, new SymbolRenameOptions(), newName);
        }

        if (!dryRun && !workspace.TryApplyChanges(solution))
        {
            Console.Error.WriteLine("the workspace refused the changes");
            return 1;
        }

        Console.WriteLine($"{renamed} field(s) {(dryRun ? "to rename" : "renamed")}");
        return 0;
    }

    /// <summary>Every field to rename, found in one pass: where it is declared, its type, its name now and its name to be.</summary>
    private static async Task<List<(DocumentId Document, string Type, string Name, string NewName)>> CandidatesAsync(Solution solution)
    {
        var found = new List<(DocumentId, string, string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in solution.Projects)
        {
            foreach (var document in project.Documents.Where(d => d.FilePath is { } path && !path.Contains("/obj/", StringComparison.Ordinal)))
            {
                foreach (var field in await FieldsAsync(document))
                {
                    var type = field.ContainingType.ToDisplayString();
                    if (Wanted(field) is { } name && name != field.Name && seen.Add($"{document.FilePath}|{type}.{field.Name}"))
                        found.Add((document.Id, type, field.Name, name));
                }
            }
        }

        return found;
    }

    private static async Task<IFieldSymbol?> FindAsync(Document document, string type, string name) =>
        (await FieldsAsync(document)).FirstOrDefault(f => f.Name == name && f.ContainingType.ToDisplayString() == type);

    private static async Task<List<IFieldSymbol>> FieldsAsync(Document document)
    {
        var model = (await document.GetSemanticModelAsync())!;
        var root = await document.GetSyntaxRootAsync();
        return [.. root!.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax>()
            .Select(d => model.GetDeclaredSymbol(d)).OfType<IFieldSymbol>()];
    }

    private static string? Wanted(IFieldSymbol field)
    {
        if (field.IsConst || field.IsImplicitlyDeclared || (field.IsStatic && field.IsReadOnly)
            || field.DeclaredAccessibility is not (Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal))
            return null;
        var bare = field.Name.TrimStart('_');
        if (bare.StartsWith("s_", StringComparison.Ordinal))
            bare = bare[2..];
        if (bare.Length == 0)
            return null;
        var camel = char.ToLowerInvariant(bare[0]) + bare[1..];
        return (field.IsStatic ? "s_" : "_") + camel;
    }
}
