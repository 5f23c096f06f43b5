using System.Text.Json.Nodes;
using CsCheck;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;

namespace Reconciler.Core.Tests.Engine;

/// <summary>The observed view's map of a list pass plus changes behaves as a map, change after change, and every earlier version stays as it was.</summary>
public sealed class LayeredMapTests
{
    [Fact]
    public void Changes_over_a_filled_map_read_as_the_same_changes_made_to_a_dictionary_and_leave_earlier_versions_alone()
    {
        Gen.Int.Sample(
            seed =>
            {
                var random = new Random(seed);
                var keys = Enumerable.Range(0, random.Next(1, 400)).Select(i => $"k{i}").ToArray();
                var filled = new Dictionary<string, PlatformObject>(StringComparer.Ordinal);
                foreach (var key in keys.Where(_ => random.Next(3) > 0))
                    filled[key] = Object(key, 0);
                var expected = new Dictionary<string, PlatformObject>(filled, StringComparer.Ordinal);
                var map = LayeredMap<string>.Of(filled);
                var versions = new List<(LayeredMap<string> Map, Dictionary<string, PlatformObject> Expected)> { (map, new(expected)) };

                // Enough changes to fold the overlay into a new dictionary more than once on small maps.
                for (var step = 1; step <= random.Next(0, 300); step++)
                {
                    var key = keys[random.Next(keys.Length)];
                    if (random.Next(3) == 0)
                    {
                        map = map.Remove(key);
                        expected.Remove(key);
                    }
                    else
                    {
                        var value = Object(key, step);
                        map = map.SetItem(key, value);
                        expected[key] = value;
                    }

                    versions.Add((map, new(expected)));
                }

                foreach (var (version, wanted) in versions)
                    ShouldHold(version, wanted, keys);
            },
            iter: 200);
    }

    private static void ShouldHold(LayeredMap<string> map, Dictionary<string, PlatformObject> expected, string[] keys)
    {
        // Checked without an assertion per key: thousands of versions are read per run.
        var values = map.Values.ToList();
        var wrong = keys.Where(k => !ReferenceEquals(map.Find(k), expected.GetValueOrDefault(k)) || map.ContainsKey(k) != expected.ContainsKey(k))
            .Concat(values.Where(v => !ReferenceEquals(v, expected.GetValueOrDefault(v.Id))).Select(v => v.Id))
            .ToList();
        wrong.Should().BeEmpty();
        map.Count.Should().Be(expected.Count);
        values.Select(v => v.Id).Should().OnlyHaveUniqueItems().And.HaveCount(expected.Count);
    }

    private static PlatformObject Object(string id, long version) => new(id, id, version, new Dictionary<string, string>(), new JsonObject());
}
