namespace EasyConnect.Admin.Components.Shared;

/// <summary>A product's noun ("resource", "agent", "asset") as a page puts it into a sentence or a heading.</summary>
internal static class Noun
{
    /// <summary>"a" or "an" and the noun; the products' nouns are plain English words, so the first letter decides.</summary>
    public static string A(string noun) =>
        (noun.Length > 0 && "aeiou".Contains(char.ToLowerInvariant(noun[0]), StringComparison.Ordinal) ? "an " : "a ") + noun;

    /// <summary>The noun with its first letter capitalised, for a heading or a column title ("Configuration item", "Client").</summary>
    public static string Capital(string noun) => noun.Length == 0 ? noun : char.ToUpperInvariant(noun[0]) + noun[1..];
}
