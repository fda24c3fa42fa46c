using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>
/// Halo keeps ticket details and action notes as HTML (its editor writes paragraphs and line breaks) beside a plain-text copy:
/// text sent as <c>note</c> or <c>details</c> gets an HTML twin, HTML sent as <c>note_html</c> or <c>details_html</c> a text one.
/// </summary>
public static partial class HaloSandboxHtml
{
    /// <summary>Plain text as Halo's editor stores it: one paragraph, line breaks as <c>&lt;br&gt;</c>, characters escaped.</summary>
    public static string FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "<p>" + WebUtility.HtmlEncode(text.Replace("\r\n", "\n", StringComparison.Ordinal)).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>";
    }

    /// <summary>The text of HTML: paragraphs and breaks become line breaks, other tags go, entities are decoded.</summary>
    public static string ToText(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var text = BreakTag().Replace(html, "\n");
        text = BlockEnd().Replace(text, "\n");
        text = AnyTag().Replace(text, "");
        var decoded = WebUtility.HtmlDecode(text);
        var builder = new StringBuilder(decoded);
        while (builder.Length > 0 && builder[^1] == '\n')
        {
            builder.Length--;
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex BreakTag();

    [GeneratedRegex(@"</(p|div|li|h[1-6])>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex AnyTag();
}
