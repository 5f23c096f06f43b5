namespace Reconciler.Core.Manifests;

/// <summary>
/// A file of JSON objects one after another (what <c>jq -c</c> writes), which kubectl reads object by object: YAML
/// reads one JSON object as a document, but not the next one after it.
/// </summary>
internal static class JsonStream
{
    /// <summary>Where each top-level object starts and ends, when the text is two or more of them and nothing else; else null.</summary>
    public static List<(int Start, int End)>? Objects(string text)
    {
        var objects = new List<(int Start, int End)>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
                i++;
            if (i == text.Length)
                return objects.Count > 1 ? objects : null;
            if (text[i] != '{')
                return null;
            var start = i;
            var depth = 0;
            var inString = false;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (inString)
                {
                    if (c == '\\')
                        i++;
                    else if (c == '"')
                        inString = false;
                }
                else if (c == '"')
                {
                    inString = true;
                }
                else if (c is '{' or '[')
                {
                    depth++;
                }
                else if (c is '}' or ']' && --depth == 0)
                {
                    i++;
                    break;
                }
            }

            // Unbalanced: left to the parser, which says where.
            if (depth != 0)
                return null;
            objects.Add((start, i));
        }
    }
}
