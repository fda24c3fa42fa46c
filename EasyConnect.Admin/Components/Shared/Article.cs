namespace EasyConnect.Admin.Components.Shared;

/// <summary>The indefinite article before a product's noun: "a resource", "an agent", "an asset".</summary>
internal static class Article
{
    /// <summary>"a" or "an" and the noun; the products' nouns are plain English words, so the first letter decides.</summary>
    public static string A(string noun) =>
        (noun.Length > 0 && "aeiou".Contains(char.ToLowerInvariant(noun[0]), StringComparison.Ordinal) ? "an " : "a ") + noun;
}
