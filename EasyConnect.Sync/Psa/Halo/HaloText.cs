using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace EasyConnect.Sync.Psa.Halo;

/// <summary>
/// Halo keeps ticket details and action notes as HTML. EasyConnect moves plain text, so it turns HTML into text on the way in and
/// text into HTML on the way out. The pair is a fixed point after one pass: text made from HTML, written back and read again, is
/// the same text, so a note never grows a blank line or an escaped entity each time it goes round.
/// </summary>
internal static partial class HaloText
{
    /// <summary>The text of Halo HTML (or of plain text, which passes through with its line breaks).</summary>
    public static string ToText(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return "";
        }

        var text = html.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (LooksLikeHtml(text))
        {
            // Whitespace inside HTML is layout, not content: collapse it before tags say where the lines break.
            text = Whitespace().Replace(text, " ");
            text = Breaks().Replace(text, "\n");
            text = BlockEnds().Replace(text, "\n");
            text = Tags().Replace(text, "");
            text = WebUtility.HtmlDecode(text).Replace('\u00A0', ' ');
        }

        return Normalise(text);
    }

    /// <summary>Halo HTML for plain text: characters escaped, each line break a &lt;br&gt;.</summary>
    public static string ToHtml(string? text)
    {
        var normal = Normalise(text ?? "");
        var html = new StringBuilder(normal.Length + 16);
        var lines = normal.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                html.Append("<br>");
            }

            // HTML collapses runs of spaces and drops those that start a line: they go as non-breaking spaces.
            var line = lines[i];
            var indent = line.Length - line.TrimStart(' ').Length;
            html.Insert(html.Length, "&nbsp;", indent);
            html.Append(WebUtility.HtmlEncode(line[indent..]).Replace("  ", " &nbsp;", StringComparison.Ordinal));
        }

        return html.ToString();
    }

    /// <summary>Trailing spaces gone, at most one blank line in a row, no blank lines at either end.</summary>
    public static string Normalise(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n').Select(l => l.TrimEnd());
        var joined = string.Join('\n', lines);
        return BlankRuns().Replace(joined, "\n\n").Trim('\n', ' ');
    }

    private static bool LooksLikeHtml(string text) => Tags().IsMatch(text) || Entity().IsMatch(text);

    [GeneratedRegex(@"[ \t\n]+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\s*<br\s*/?>\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Breaks();

    [GeneratedRegex(@"\s*</(p|div|li|h[1-6]|tr|blockquote|pre)>\s*", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnds();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")]
    private static partial Regex Entity();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankRuns();
}
