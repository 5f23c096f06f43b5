namespace Reconciler.Platform.Contract.Rules;

/// <summary>Reply templates: the shortcut's shape, a text per well-formed language tag, placeholders that parse and, with the catalog, exist.</summary>
public static class ReplyTemplateRules
{
    public const int TitleMaxLength = 200;
    public const int TextMaxLength = 4000;
    public const int MaxLanguages = 50;
    public const int MaxTags = 20;
    public const int TagMaxLength = 100;

    internal static void Check(RuleSink sink, ReplyTemplateDto dto)
    {
        sink.Format("shortcut", dto.Shortcut, WireFormats.IsShortcut, RuleCodes.Shortcut, "a shortcut: '/' then 1-31 lower-case letters, digits, '-' or '_' (e.g. /refund)", required: true);
        sink.Text("title", dto.Title, TitleMaxLength, required: true);
        Texts(sink, dto.Texts);
        sink.Set("businessUnitIds", dto.BusinessUnitIds, 100, StringComparer.Ordinal);
        sink.Set("tags", dto.Tags, MaxTags, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < dto.Tags.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(dto.Tags[i]))
                sink.Text(new("tags", i), dto.Tags[i], TagMaxLength, required: false);
        }
    }

    /// <summary>Placeholders of the texts that the platform's <paramref name="catalog"/> does not have.</summary>
    public static IReadOnlyList<Violation> UnknownPlaceholders(IReadOnlyDictionary<string, string>? texts, IReadOnlySet<string> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return [.. (texts ?? new Dictionary<string, string>())
            .SelectMany(t => TemplatePlaceholders.Find(t.Value).Where(p => p.Name is not null && !catalog.Contains(p.Name)).Select(p => (t.Key, p)))
            .Select(x => new Violation($"texts.{x.Key}", RuleCodes.UnknownPlaceholder, $"{Excerpt.Quoted(x.p.Written)} is not a known placeholder (see GET /api/v1/placeholders)"))];
    }

    private static void Texts(RuleSink sink, IReadOnlyDictionary<string, string>? texts)
    {
        if (texts is null || texts.Count == 0)
        {
            sink.Add("texts", RuleCodes.Required, "is required: the text in at least one language (e.g. en: \"Hello {{customer.name}}\")");
            return;
        }

        if (texts.Count > MaxLanguages)
            sink.Add("texts", RuleCodes.Length, $"must have at most {MaxLanguages} languages");
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (language, text) in texts)
        {
            var path = $"texts.{language}";
            if (!LanguageTags.IsWellFormed(language))
                sink.Add(path, RuleCodes.LanguageTag, $"{Excerpt.Quoted(language)} is not a BCP-47 language tag (e.g. en, pt-BR, zh-Hant-TW)");
            else if (!seen.TryAdd(language, language))
                sink.Add(path, RuleCodes.DuplicateItem, $"duplicate language '{Excerpt.Of(language)}' (already as texts.{Excerpt.Of(seen[language])}; tags are compared ignoring case)");
            sink.Text(path, text, TextMaxLength, required: true);
            // A condition in the loop, not Where: LINQ over the struct is generic code compiled at start, not precompiled.
            foreach (var use in TemplatePlaceholders.Find(text))
            {
                if (use.Name is null)
                    sink.Add(path, RuleCodes.Placeholder, $"{Excerpt.Quoted(use.Written)} is not a placeholder: {{{{name}}}} with a dotted name such as customer.name");
            }
        }
    }
}
