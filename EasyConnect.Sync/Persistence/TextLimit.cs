namespace EasyConnect.Sync.Persistence;

/// <summary>
/// Checks typed text against the length of the column it is stored in, so that over-long input gets a plain
/// message instead of PostgreSQL's "value too long" (22001). The lengths are constants on each entity, used by its
/// EF configuration and by the UI's fields.
/// </summary>
public static class TextLimit
{
    /// <summary>"The name can be at most 200 characters." when the trimmed <paramref name="value"/> is longer than <paramref name="maxLength"/>; otherwise null.</summary>
    public static string? Check(string? value, int maxLength, string what) =>
        value is not null && value.Trim().Length > maxLength ? Message(what, maxLength) : null;

    /// <summary>The message for text longer than <paramref name="maxLength"/>.</summary>
    public static string Message(string what, int maxLength) => $"The {what} can be at most {maxLength:N0} characters.";

    /// <summary><paramref name="value"/> cut to <paramref name="maxLength"/>, ending with "…" when cut: for text EasyConnect composes itself (audit targets).</summary>
    public static string Clip(string value, int maxLength) => value.Length <= maxLength ? value : string.Concat(value.AsSpan(0, maxLength - 1), "…");
}
