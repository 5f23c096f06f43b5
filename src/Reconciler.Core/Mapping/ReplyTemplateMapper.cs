using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Mapping;

/// <summary>Reply templates: texts compared as one map of language to text, tags as a set ignoring case.</summary>
public sealed class ReplyTemplateMapper : KindMapper<ReplyTemplate>
{
    public override IReadOnlyList<ComparisonRule> Rules { get; } =
    [
        new("shortcut"),
        new("title"),
        new("texts"),
        new("businessUnitIds", ComparisonShape.Set) { ReferenceKind = "BusinessUnit" },
        new("tags", ComparisonShape.CaseInsensitiveSet),
    ];

    protected override DesiredObject Map(ReplyTemplate resource, MappingContext context)
    {
        var texts = new JsonObject();
        foreach (var (language, text) in resource.Spec.Texts.OrderBy(t => t.Key, StringComparer.Ordinal))
            texts[language] = text;
        return Plain(new JsonObject
        {
            ["shortcut"] = resource.Spec.Shortcut,
            ["title"] = resource.Spec.Title,
            ["texts"] = texts,
            ["businessUnitIds"] = Strings(References(resource).Select(r => Resolve(context, r))),
            ["tags"] = Strings(resource.Spec.Tags),
        });
    }

    public override ReplyTemplate Export(PlatformObject platformObject, ExportContext context)
    {
        var f = platformObject.Fields;
        return new ReplyTemplate
        {
            Metadata = Meta(context.NameOf(Collection, platformObject.Id)!),
            Spec = new ReplyTemplateSpec
            {
                Shortcut = ReadString(f["shortcut"]) ?? platformObject.Key,
                Title = ReadString(f["title"]) ?? "",
                Texts = (f["texts"] as JsonObject ?? []).ToDictionary(t => t.Key, t => ReadString(t.Value) ?? "", StringComparer.Ordinal),
                BusinessUnitRefs = [.. ReadStrings(f["businessUnitIds"]).Select(id => ResourceRef.FromString(context.NameOf("business-units", id) ?? id))],
                Tags = ReadStrings(f["tags"]),
            },
        };
    }
}
