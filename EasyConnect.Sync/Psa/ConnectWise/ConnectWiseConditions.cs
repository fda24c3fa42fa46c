using System.Globalization;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>
/// Builds ConnectWise <c>conditions</c> expressions. Values are always quoted or bracketed here, never by callers,
/// so a company name with a quote in it cannot change the meaning of a query.
/// </summary>
internal static class ConnectWiseConditions
{
    /// <summary>A literal: strings in double quotes, dates in square brackets, numbers and booleans bare.</summary>
    public static string Literal(object value) => value switch
    {
        // ConnectWise escapes a quote inside a string as \" ; the backslash itself is escaped too so a value ending in \ cannot eat the closing quote.
        string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        // ConnectWise dates are whole seconds in UTC between square brackets.
        DateTimeOffset d => "[" + d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "]",
        DateTime d => Literal(new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc))),
        // ConnectWise booleans in conditions are True or False (Developer Guide, Conditions).
        bool b => b ? "True" : "False",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw new ArgumentException($"No ConnectWise literal for a {value.GetType().Name}.", nameof(value)),
    };

    public static string Equal(string field, object value) => $"{field} = {Literal(value)}";

    public static string GreaterThan(string field, object value) => $"{field} > {Literal(value)}";

    public static string Compare(string field, string op, object value) => op switch
    {
        "=" or "!=" or "<" or "<=" or ">" or ">=" or "like" or "contains" => $"{field} {op} {Literal(value)}",
        _ => throw new ArgumentException($"Unknown ConnectWise operator {op}.", nameof(op)),
    };

    public static string? And(params string?[] parts) => Join(" and ", parts);

    public static string? Or(params string?[] parts) => Join(" or ", parts);

    private static string? Join(string op, string?[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return present.Count switch
        {
            0 => null,
            1 => present[0],
            _ => string.Join(op, present.Select(p => $"({p})")),
        };
    }
}
