using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes.Tests;

public sealed class ModelSerializationTests
{
    [Fact]
    public void Timestamps_AreWrittenInUtcWithWholeSeconds()
    {
        var meta = new ObjectMeta { CreationTimestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(-5)) };

        var json = JsonSerializer.SerializeToNode(meta, KubernetesJson.Options)!;

        json["creationTimestamp"]!.GetValue<string>().Should().Be("2026-01-02T08:04:05Z");
    }

    [Theory]
    [InlineData("""{"kind": "WidgetList", "metadata": {"resourceVersion": "7"}, "items": null}""")]
    [InlineData("""{"kind": "WidgetList", "metadata": null, "items": null}""")]
    [InlineData("""{"kind": "WidgetList"}""")]
    public void AListWithNullOrNoItemsOrMetadata_IsAnEmptyList(string json)
    {
        var list = JsonSerializer.Deserialize<KubernetesList<KubernetesObject<WidgetSpec, WidgetStatus>>>(json, KubernetesJson.Options)!;

        list.Items.Should().BeEmpty();
        list.Metadata.Continue.Should().BeNull();
    }

    [Fact]
    public void UnknownMetadataAndTopLevelFields_SurviveARoundTrip()
    {
        const string json = """
            {"apiVersion": "v1", "kind": "Thing", "metadata": {"name": "x", "managedFields": [{"manager": "kubectl"}]},
             "spec": {"color": "red"}, "extra": {"keep": true}}
            """;

        var obj = JsonSerializer.Deserialize<KubernetesObject<WidgetSpec, WidgetStatus>>(json, KubernetesJson.Options)!;
        var back = JsonSerializer.SerializeToNode(obj, KubernetesJson.Options)!;

        back["metadata"]!["managedFields"]![0]!["manager"]!.GetValue<string>().Should().Be("kubectl");
        back["extra"]!["keep"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void ObjectKey_FormatsAndParsesNamespaceSlashName()
    {
        new ObjectKey("ns", "a").ToString().Should().Be("ns/a");
        new ObjectKey(null, "a").ToString().Should().Be("a");
        ObjectKey.Parse("ns/a").Should().Be(new ObjectKey("ns", "a"));
        ObjectKey.Parse("a").Should().Be(new ObjectKey(null, "a"));
    }

    [Fact]
    public void JsonMergePatch_FollowsRfc7386()
    {
        // The RFC's own example.
        var target = JsonNode.Parse("""{"a": "b", "c": {"d": "e", "f": "g"}}""");
        var patch = JsonNode.Parse("""{"a": "z", "c": {"f": null}, "h": [1]}""");

        var result = Fakes.JsonMergePatch.Apply(target, patch);

        JsonNode.DeepEquals(result, JsonNode.Parse("""{"a": "z", "c": {"d": "e"}, "h": [1]}""")).Should().BeTrue();
        target!["c"]!["f"]!.GetValue<string>().Should().Be("g", "the target is not modified");
    }
}
