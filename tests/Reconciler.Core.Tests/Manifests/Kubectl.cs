using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>
/// The real kubectl as the independent reader of manifests: it reads them with go-yaml, as kustomize, Argo CD and Flux do,
/// and <c>label --local</c> prints what it would send, offline.
/// </summary>
internal static class Kubectl
{
    public static string? Path { get; } = Environment.GetEnvironmentVariable("PATH")?.Split(System.IO.Path.PathSeparator)
        .Select(folder => System.IO.Path.Combine(folder, "kubectl")).FirstOrDefault(File.Exists);

    /// <summary>
    /// Each document (one file each, so one kubectl cannot read does not hide the others) as kubectl would send it, by
    /// <c>metadata.name</c>; a document kubectl fails to read is missing.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonNode> Read(IReadOnlyList<string> documents) => Run(documents).Read;

    /// <summary>Whether kubectl reads the whole file, and the documents it read.</summary>
    public static (bool Whole, IReadOnlyDictionary<string, JsonNode> Read) ReadFile(string text) => Run([text]);

    private static (bool Clean, IReadOnlyDictionary<string, JsonNode> Read) Run(IReadOnlyList<string> files)
    {
        var folder = Directory.CreateTempSubdirectory("go-yaml-").FullName;
        try
        {
            for (var i = 0; i < files.Count; i++)
                File.WriteAllText(System.IO.Path.Combine(folder, $"{i:D4}.yaml"), files[i]);
            var start = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "label", "--local", "-f", folder, "checked=yes", "-o", "json" })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _ = error.Result;

            // One JSON object per document read, one after another.
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(output), new JsonReaderOptions { AllowMultipleValues = true });
            var read = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var document = JsonNode.Parse(ref reader)!;
                read[document["metadata"]!["name"]!.GetValue<string>()] = document;
            }

            return (process.ExitCode == 0, read);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
