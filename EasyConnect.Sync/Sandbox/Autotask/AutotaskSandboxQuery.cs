using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.Autotask;

/// <summary>Autotask's query model: the filter tree, <c>MaxRecords</c>, <c>IncludeFields</c> and the id-ordered paging.</summary>
internal static class AutotaskSandboxQuery
{
    public const int MaxPageSize = 500;

    /// <summary>Parses a query body; the property names are matched case-insensitively, as Autotask does.</summary>
    public static JsonObject Parse(string json)
    {
        try
        {
            return JsonNode.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json, AutotaskSandboxState.NodeOptions) as JsonObject
                ?? throw new AutotaskSandboxError(500, "The query body is not a JSON object.");
        }
        catch (JsonException)
        {
            throw new AutotaskSandboxError(500, "The query body is not valid JSON.");
        }
    }

    /// <summary>Whether a row matches every filter of <paramref name="query"/> (the top level is an and).</summary>
    public static Func<JsonObject, bool> Predicate(JsonObject query)
    {
        var filters = query["filter"] as JsonArray ?? [];
        var conditions = filters.Select(f => Condition(f as JsonObject ?? throw new AutotaskSandboxError(500, "A filter must be an object."))).ToList();
        return row => conditions.All(c => c(row));
    }

    public static int PageSize(JsonObject query)
    {
        var max = AutotaskSandboxState.Long(query["maxRecords"]);
        return max switch
        {
            null => MaxPageSize,
            < 1 or > MaxPageSize => throw new AutotaskSandboxError(500, "MaxRecords must be between 1 and 500."),
            _ => (int)max,
        };
    }

    public static JsonObject Project(JsonObject row, JsonObject query)
    {
        if (query["includeFields"] is not JsonArray { Count: > 0 } include)
        {
            return row;
        }

        var names = include.Select(n => n?.GetValue<string>() ?? "").ToHashSet(StringComparer.OrdinalIgnoreCase);
        var projected = new JsonObject();
        foreach (var (key, value) in row)
        {
            if (names.Contains(key))
            {
                projected[key] = value?.DeepClone();
            }
        }

        return projected;
    }

    /// <summary>
    /// The opaque paging token of a page: the query, the last id before the page, and the same for the pages before it
    /// (so the page after can name this one as its previous page).
    /// </summary>
    public static string Token(JsonObject query, long after, IReadOnlyList<long> earlier)
    {
        var json = new JsonObject
        {
            ["q"] = query.ToJsonString(),
            ["after"] = after,
            ["earlier"] = new JsonArray([.. earlier.Select(e => (JsonNode)e)]),
        }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static (JsonObject Query, long After, List<long> Earlier) ReadToken(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(base64)))!.AsObject();
            var earlier = (node["earlier"] as JsonArray ?? []).Select(e => e!.GetValue<long>()).ToList();
            return (Parse(node["q"]!.GetValue<string>()), node["after"]!.GetValue<long>(), earlier);
        }
        catch (Exception e) when (e is FormatException or JsonException or NullReferenceException or InvalidOperationException)
        {
            throw new AutotaskSandboxError(500, "The paging token is invalid.");
        }
    }

    private static Func<JsonObject, bool> Condition(JsonObject filter)
    {
        var op = filter["op"]?.GetValue<string>() ?? throw new AutotaskSandboxError(500, "A filter needs an op.");
        if (op.Equals("and", StringComparison.OrdinalIgnoreCase) || op.Equals("or", StringComparison.OrdinalIgnoreCase))
        {
            var children = (filter["items"] as JsonArray ?? []).Select(i => Condition(i as JsonObject ?? throw new AutotaskSandboxError(500, "A filter must be an object."))).ToList();
            return op.Equals("and", StringComparison.OrdinalIgnoreCase) ? row => children.All(c => c(row)) : row => children.Any(c => c(row));
        }

        var field = filter["field"]?.GetValue<string>() ?? throw new AutotaskSandboxError(500, $"The {op} filter needs a field.");
        var value = filter["value"];
        var needsValue = !op.Equals("exist", StringComparison.OrdinalIgnoreCase) && !op.Equals("notExist", StringComparison.OrdinalIgnoreCase);
        if (needsValue && value is null)
        {
            // Autotask refuses a missing or null filter value rather than matching nothing.
            throw new AutotaskSandboxError(500, $"The {op} filter on {field} needs a value; null is not accepted.");
        }

        if (needsValue && value is JsonValue text && text.GetValueKind() == JsonValueKind.String
            && (text.GetValue<string>().Equals("true", StringComparison.OrdinalIgnoreCase) || text.GetValue<string>().Equals("false", StringComparison.OrdinalIgnoreCase)))
        {
            // Booleans must be sent as JSON true/false.
            throw new AutotaskSandboxError(500, $"The value of the {op} filter on {field} must be a boolean true or false, not a string.");
        }

        // "udf": true names a user-defined field: its value is the one of that name in the row's userDefinedFields.
        Func<JsonObject, JsonNode?> get = IsUdf(filter, op, field) ? row => Udf(row, field) : row => row[field];
        return op.ToLowerInvariant() switch
        {
            "exist" => row => get(row) is not null,
            "notexist" => row => get(row) is null,
            "eq" => row => Compare(get(row), value) == 0,
            "noteq" => row => Compare(get(row), value) != 0,
            "gt" => row => Compare(get(row), value) > 0,
            "gte" => row => Compare(get(row), value) is >= 0 and not int.MinValue,
            "lt" => row => Compare(get(row), value) is < 0 and not int.MinValue,
            "lte" => row => Compare(get(row), value) is <= 0 and not int.MinValue,
            "beginswith" => row => Text(get(row))?.StartsWith(Text(value) ?? "", StringComparison.OrdinalIgnoreCase) == true,
            "endswith" => row => Text(get(row))?.EndsWith(Text(value) ?? "", StringComparison.OrdinalIgnoreCase) == true,
            "contains" => row => Text(get(row))?.Contains(Text(value) ?? "", StringComparison.OrdinalIgnoreCase) == true,
            "in" => row => List(value).Any(v => Compare(get(row), v) == 0),
            "notin" => row => !List(value).Any(v => Compare(get(row), v) == 0),
            _ => throw new AutotaskSandboxError(500, $"The operator {op} is not supported."),
        };
    }

    private static bool IsUdf(JsonObject filter, string op, string field) => filter["udf"] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        // Booleans must be JSON true/false here as in filter values.
        _ => throw new AutotaskSandboxError(500, $"The udf flag of the {op} filter on {field} must be a boolean true or false."),
    };

    private static JsonNode? Udf(JsonObject row, string name) =>
        (row["userDefinedFields"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .FirstOrDefault(u => string.Equals(u["name"]?.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase))?["value"];

    private static IEnumerable<JsonNode?> List(JsonNode? value) =>
        value as JsonArray ?? throw new AutotaskSandboxError(500, "The in and notIn operators need an array value.");

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };

    // Null compares as unequal to everything; int.MinValue marks "not comparable", so ordered operators reject it.
    private static int Compare(JsonNode? left, JsonNode? right)
    {
        if (left is null || right is null)
        {
            return int.MinValue;
        }

        var l = Text(left)!;
        var r = Text(right)!;
        if (decimal.TryParse(l, NumberStyles.Number, CultureInfo.InvariantCulture, out var ln)
            && decimal.TryParse(r, NumberStyles.Number, CultureInfo.InvariantCulture, out var rn))
        {
            return ln.CompareTo(rn);
        }

        if (DateTimeOffset.TryParse(l, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ld)
            && DateTimeOffset.TryParse(r, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var rd))
        {
            return ld.CompareTo(rd);
        }

        return Math.Sign(string.Compare(l, r, StringComparison.OrdinalIgnoreCase));
    }
}
