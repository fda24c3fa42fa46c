namespace EasyConnect.Admin.Components.Shared;

/// <summary>How long ago something happened, as the Overview says it ("3 min", "5 h", "2 days").</summary>
internal static class Age
{
    /// <summary>The time from <paramref name="at"/> to <paramref name="now"/> in words.</summary>
    public static string Of(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age.TotalMinutes < 1 ? "less than a minute"
            : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min"
            : age.TotalDays < 2 ? $"{(int)age.TotalHours} h"
            : $"{(int)age.TotalDays} days";
    }
}
