using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Core.Resources;
using Reconciler.Kubernetes;
using Reconciler.Kubernetes.Runtime;
using Reconciler.Operator.Controllers;
using CustomResource = Reconciler.Kubernetes.Models.KubernetesObject<System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject>;
using KubernetesMeta = Reconciler.Kubernetes.Models.ObjectMeta;

namespace Reconciler.Benchmarks;

/// <summary>
/// The operator's per-reconcile validation of one custom resource in a namespace of a generated organisation: the
/// resource's spec changes (new generation) and it is reconciled, as after a <c>kubectl apply</c> of one object.
/// Usage: <c>dotnet run -c Release --project bench/Reconciler.Benchmarks -- --operator-validate [agents] [runs]</c>.
/// </summary>
internal static class OperatorValidationBench
{
    private const string Namespace = "bench";

    public static int Run(int agents, int runs)
    {
        var resources = OrganizationGenerator.Generate(agents, Math.Max(1, agents / 50), Math.Max(1, agents / 100));
        var caches = ResourceCatalog.Kinds.ToDictionary(k => k.Kind, _ => new ResourceCache<CustomResource>(), StringComparer.Ordinal);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        options.Converters.Add(new JsonStringEnumConverter());
        foreach (var resource in resources)
            Put(caches, resource.Kind, Custom(resource, options, 1));

        var validation = new NamespaceValidation(caches);
        var changed = resources.OfType<Agent>().Last();
        var watch = Stopwatch.StartNew();
        var (first, error) = validation.Load(changed.Kind, caches[changed.Kind].Get(Namespace, changed.Metadata.Name)!);
        Console.WriteLine($"first reconcile of {resources.Count} resources' namespace: {watch.Elapsed.TotalMilliseconds:F1} ms ({(first is null ? error : "valid")})");

        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var edited = changed with { Spec = changed.Spec with { DisplayName = $"Renamed {run}" } };
            var custom = Custom(edited, options, run + 2);
            Put(caches, edited.Kind, custom);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            watch.Restart();
            var (loaded, problem) = validation.Load(edited.Kind, custom);
            times.Add(watch.Elapsed.TotalMilliseconds);
            if (loaded is null)
            {
                Console.WriteLine($"unexpected error: {problem}");
                return 1;
            }

            Console.WriteLine($"reconcile after one spec change: {times[^1]:F1} ms, allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024} KiB");
        }

        times.Sort();
        Console.WriteLine($"median of {runs}: {times[times.Count / 2]:F1} ms per reconcile in a namespace of {resources.Count} resources");
        return 0;
    }

    private static CustomResource Custom(Resource resource, JsonSerializerOptions options, long generation) => new()
    {
        Metadata = new KubernetesMeta { Name = resource.Metadata.Name, Namespace = Namespace, Uid = $"uid-{resource.Kind}-{resource.Metadata.Name}", Generation = generation },
        Spec = JsonSerializer.SerializeToNode(resource.SpecObject, resource.SpecObject.GetType(), options)!.AsObject(),
    };

    private static void Put(Dictionary<string, ResourceCache<CustomResource>> caches, string kind, CustomResource resource) =>
        caches[kind].Set(new ObjectKey(Namespace, resource.Metadata.Name!), resource);
}
