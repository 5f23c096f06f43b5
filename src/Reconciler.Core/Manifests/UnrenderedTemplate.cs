using System.Text.RegularExpressions;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Recognises Go-template actions (Helm, Kustomize helpers) left in a manifest that was never rendered.
/// Only actions that start the way Go templates do count (<c>{{ .Values.x }}</c>, <c>{{- include … }}</c>),
/// so a reply template's own placeholders such as <c>{{customer.name}}</c> stay plain text.
/// </summary>
internal static partial class UnrenderedTemplate
{
    public static bool Contains(string text) =>
        text.Contains("{{", StringComparison.Ordinal) && Action().IsMatch(text);

    public static string Message(string text) =>
        $"unrendered template {Quote(text)}: render the manifests (helm template, kustomize build) before validating or applying them";

    private static string Quote(string text) => text.Length <= 60 ? $"\"{text}\"" : $"\"{text[..57]}...\"";

    [GeneratedRegex(@"\{\{-?\s*(?:[.$]|(?:include|template|tpl|toYaml|toJson|default|required|quote|printf|lookup|if|else|end|range|with|define|block)\b)", RegexOptions.CultureInvariant)]
    private static partial Regex Action();
}
