namespace EasyConnect.Sync.Persistence;

/// <summary>Builds PostgreSQL LIKE/ILIKE patterns from what a user typed into a search box.</summary>
public static class LikePattern
{
    /// <summary>A pattern matching values that contain <paramref name="text"/> literally (%, _ and \ escaped).</summary>
    public static string Contains(string text) =>
        "%" + text.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
