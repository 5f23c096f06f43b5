using System.Text.RegularExpressions;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Recognises Go-template actions (Helm, Kustomize helpers) left in a manifest that was never rendered.
/// Only actions that start the way Go templates do count (<c>{{ .Values.x }}</c>, <c>{{- include … }}</c>),
/// so a reply template's own placeholders such as <c>{{customer.name}}</c> stay plain text.
/// </summary>
internal static partial class UnrenderedTemplate
{
    private const string Advice = "render the manifests (helm template, kustomize build) before validating or applying them";

    public static bool Contains(string text) =>
        text.Contains("{{", StringComparison.Ordinal) && Action().IsMatch(text);

    /// <summary>
    /// The message for a value holding an action. Only the action's head is shown (<c>{{ .Values.x ... }}</c>): its
    /// arguments may be literals such as <c>default "…"</c>, and in a secret's field that literal is the secret.
    /// </summary>
    public static string Message(string text) => $"unrendered template {Head(text)}: {Advice}";

    /// <summary>The message for a source line holding an action, naming the line's key (<c>key: {{ … }}</c>) if it has one.</summary>
    public static string LineMessage(string line) => Key().Match(line) is { Success: true } key
        ? $"unrendered template {Head(line)} in {Excerpt.Quoted(key.Groups["key"].Value)}: {Advice}"
        : Message(line);

    private static string Head(string text)
    {
        var action = Action().Match(text);
        var rest = text.AsSpan(action.Index + action.Length).TrimStart();
        var closed = rest.StartsWith("}}", StringComparison.Ordinal) || rest.StartsWith("-}}", StringComparison.Ordinal);
        return $"{{{{{action.Groups["trim"].Value} {Excerpt.Of(action.Groups["head"].Value)}{(closed ? "" : " ...")} }}}}";
    }

    // The head is a field or variable path (.Values.x, $lang) or a function name: never a quoted literal.
    [GeneratedRegex(@"\{\{(?<trim>-?)\s*(?<head>[.$][\w.$]*|(?:include|template|tpl|toYaml|toJson|default|required|quote|printf|lookup|if|else|end|range|with|define|block)\b)", RegexOptions.CultureInvariant)]
    private static partial Regex Action();

    [GeneratedRegex(@"^\s*(?:-\s+)?(?<key>[^\s:{}\[\],#'""]+)\s*:(?:\s|$)", RegexOptions.CultureInvariant)]
    private static partial Regex Key();
}
