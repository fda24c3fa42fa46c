using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Tickets;

/// <summary>The text rules of the ticket sync: summaries, descriptions, attribution, and how two texts are compared.</summary>
public static class TicketText
{
    /// <summary>The longest summary every PSA product accepts (ConnectWise's 100; Autotask and Halo accept more).</summary>
    public static int SummaryLimit { get; } = PsaProducts.All.Min(p => p.Limits.SummaryLength);

    /// <summary>How the portal names a ticket without a subject in the PSA.</summary>
    public const string NoSubject = "(no subject)";

    private const char Ellipsis = '…';

    // A word break this close to the limit is a better place to cut than the middle of a word.
    private const int WordBreakReach = 25;

    /// <summary>
    /// The PSA summary for a portal subject: on one line, and when longer than <see cref="SummaryLimit"/>, cut at a word break near the
    /// limit (or at the limit) and ended with "…". The full subject then leads the description (<see cref="PsaDescription(string, string)"/>).
    /// </summary>
    public static string Summary(string subject) => Summary(subject, SummaryLimit);

    /// <summary>The PSA summary for a portal subject within <paramref name="limit"/> characters (the product's <see cref="PsaLimits.SummaryLength"/>).</summary>
    public static string Summary(string subject, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2);
        var line = OneLine(subject);
        if (line.Length == 0)
        {
            return NoSubject;
        }

        if (line.Length <= limit)
        {
            return line;
        }

        var cut = limit - 1;
        // Never split a surrogate pair (an emoji) in two.
        if (char.IsHighSurrogate(line[cut - 1]))
        {
            cut--;
        }

        var space = line.LastIndexOf(' ', cut);
        if (space >= cut - WordBreakReach && space > 0)
        {
            cut = space;
        }

        return line[..cut].TrimEnd(' ', ',', ';', ':', '-', '.') + Ellipsis;
    }

    /// <summary>Whether the subject does not fit the summary whole.</summary>
    public static bool IsShortened(string subject) => IsShortened(subject, SummaryLimit);

    /// <summary>Whether the subject does not fit a summary of <paramref name="limit"/> characters whole.</summary>
    public static bool IsShortened(string subject, int limit) => Summary(subject, limit) != OneLine(subject) && OneLine(subject).Length > 0;

    /// <summary>The PSA's initial description for a portal ticket: the description, led by the full subject when the summary had to be shortened.</summary>
    public static string PsaDescription(string subject, string description) => PsaDescription(subject, description, SummaryLimit);

    /// <summary>The PSA's initial description for a portal ticket, for a product whose summary holds <paramref name="summaryLimit"/> characters.</summary>
    public static string PsaDescription(string subject, string description, int summaryLimit) =>
        IsShortened(subject, summaryLimit) ? $"Subject: {OneLine(subject)}\n\n{description}" : description;

    /// <summary>A note's text for a portal comment whose author has no PSA member: the author's name leads the text.</summary>
    public static string FromPortal(string? authorName, string? authorEmail, string body)
    {
        var who = (authorName, authorEmail) switch
        {
            ({ Length: > 0 } name, { Length: > 0 } email) => $"{name} ({email})",
            ({ Length: > 0 } name, _) => name,
            (_, { Length: > 0 } email) => email,
            _ => "Someone",
        };
        return $"{who} wrote in the portal:\n{body}";
    }

    /// <summary>A comment's text for a PSA note whose member has no portal user: the member's name leads the text.</summary>
    public static string FromPsa(string memberName, PsaKind kind, string text) => $"{memberName} wrote in {PsaName(kind)}:\n{text}";

    /// <summary>The private comment that carries a PSA-side description change to the portal (whose description cannot change).</summary>
    public static string DescriptionUpdated(PsaKind kind, string text) => $"Description updated in {PsaName(kind)}:\n{text}";

    /// <summary>The PSA note that keeps the losing side of a description conflict.</summary>
    public static string ConflictCopy(bool portalWon, PsaKind kind, string losingText) => portalWon
        ? $"The description was changed in {PsaName(kind)} and in the portal since the last sync; the portal's newer description replaced it. The {PsaName(kind)} description was:\n{losingText}"
        : $"The description was changed in the portal and in {PsaName(kind)} since the last sync; the {PsaName(kind)} description is newer and was kept. The portal's description was:\n{losingText}";

    /// <summary>How people call the PSA product.</summary>
    public static string PsaName(PsaKind kind) => PsaProducts.Get(kind).DisplayName;

    /// <summary>The text with every run of whitespace made one space and the ends trimmed: ConnectWise may return a line break as a space.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Whether two texts are the same once whitespace is normalised.</summary>
    public static bool Same(string? a, string? b) => string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);

    /// <summary>A short, stable fingerprint of a text (whitespace normalised), to tell whether it changed.</summary>
    public static string Hash(string? text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(text)))).ToLower(CultureInfo.InvariantCulture);

    /// <summary>The first characters of a text on one line, for lists.</summary>
    public static string Excerpt(string text, int length = 200)
    {
        var line = Normalize(text);
        if (line.Length <= length)
        {
            return line;
        }

        var cut = char.IsHighSurrogate(line[length - 2]) ? length - 2 : length - 1;
        return line[..cut] + Ellipsis;
    }

    private static string OneLine(string? text) => Normalize(text);
}
