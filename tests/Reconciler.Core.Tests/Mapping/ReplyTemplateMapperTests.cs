using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Resources;
using Reconciler.Core.Tests.Engine;

namespace Reconciler.Core.Tests.Mapping;

/// <summary>The ReplyTemplate mapper's body: texts keyed by language in ordinal order, whatever order the manifest wrote.</summary>
public sealed class ReplyTemplateMapperTests
{
    private const string Head = "apiVersion: support.reconciler.dev/v1alpha1\nkind: ReplyTemplate\nmetadata: {name: greeting}\nspec:\n  shortcut: hi\n  title: Greeting\n";

    [Theory]
    [InlineData("{en: Hi}", new[] { "en" })]
    [InlineData("{pt-BR: Olá, de: Hallo, en: Hi, EN-gb: Hiya, zh-Hant-TW: 你好}", new[] { "EN-gb", "de", "en", "pt-BR", "zh-Hant-TW" })]
    [InlineData("{en: Hi, de: Hallo, En: Hey}", new[] { "En", "de", "en" })]
    public void The_texts_are_in_ordinal_order_of_their_languages(string texts, string[] expected)
    {
        var template = (ReplyTemplate)EngineHarness.Load(Head + "  texts: " + texts + "\n").Single();
        var mapper = KindMappers.For(template);

        var body = mapper.Map(template, new MappingContext(new NoReferences(), SecretValues.Placeholders([]), IncludeSecretValues: true)).Fields;

        body["texts"]!.AsObject().Select(t => t.Key).Should().Equal(expected);
        body["texts"]!.AsObject().Select(t => t.Value!.GetValue<string>()).Should().Equal(expected.Select(l => template.Spec.Texts[l]));
    }
}
