using System.Globalization;
using System.Text.Json;

namespace EasyConnect.Sync.Http;

/// <summary>
/// Reads fields of a vendor's raw JSON rows leniently, the way <see cref="LenientNullableBooleanConverter"/> reads typed DTOs:
/// a number may come as text and text as a number, a boolean as "True" or 1, a property name in another case. A field that
/// cannot be read is null, so a field EasyConnect could do without never fails a whole record. Autotask and HaloPSA map
/// their rows with these.
/// </summary>
internal static class LenientJsonElement
{
    /// <summary>A property by name, exact first and then ignoring case; null when the element is not an object or lacks it.</summary>
    public static JsonElement? Property(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (e.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var p in e.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value;
            }
        }

        return null;
    }

    /// <summary>A property as text whatever its JSON type (ids come as numbers, or as text through some proxies).</summary>
    public static string? Text(JsonElement e, string name) => Property(e, name) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    /// <summary>A whole number sent as a number or as text.</summary>
    public static long? Long(JsonElement e, string name) =>
        Text(e, name) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>A boolean sent as true/false, 1/0, or text such as "True" or "0".</summary>
    public static bool? Bool(JsonElement e, string name) => Property(e, name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.Number } n => n.TryGetInt64(out var v) ? v != 0 : null,
        { ValueKind: JsonValueKind.String } s => bool.TryParse(s.GetString()?.Trim(), out var b) ? b
            : long.TryParse(s.GetString()?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v != 0 : null,
        _ => null,
    };

    /// <summary>
    /// A time. Both vendors send UTC, often without an offset, which is read as UTC. A year before 1901 is a vendor's way of
    /// saying "never" (0001-01-01, 1900-01-01) and reads as null.
    /// </summary>
    public static DateTimeOffset? Time(JsonElement e, string name) =>
        Text(e, name) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            && t.Year > 1900
            ? t : null;

    /// <summary>The later of two times, either of which may be missing.</summary>
    public static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
