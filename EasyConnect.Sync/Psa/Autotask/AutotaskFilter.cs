using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>
/// One condition of an Autotask query, or an <c>and</c>/<c>or</c> group of them. Serialised as Autotask's filter JSON:
/// <c>{"op":"gt","field":"id","value":5}</c>, groups as <c>{"op":"or","items":[...]}</c>. Times are sent as UTC ISO-8601.
/// </summary>
public sealed class AutotaskFilter
{
    private AutotaskFilter(string op, string? field, JsonNode? value, IReadOnlyList<AutotaskFilter>? items, bool udf)
    {
        Op = op;
        Field = field;
        Value = value;
        Items = items;
        Udf = udf;
    }

    /// <summary>The operator: eq, noteq, gt, gte, lt, lte, beginsWith, endsWith, contains, exist, notExist, in, notIn, and, or.</summary>
    [JsonPropertyName("op")]
    public string Op { get; }

    /// <summary>The field compared; null for a group.</summary>
    [JsonPropertyName("field"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Field { get; }

    /// <summary>The value compared with; null for exist, notExist and groups.</summary>
    [JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Value { get; }

    /// <summary>The conditions of an and/or group.</summary>
    [JsonPropertyName("items"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AutotaskFilter>? Items { get; }

    /// <summary>Whether <see cref="Field"/> is a user-defined field.</summary>
    [JsonPropertyName("udf"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Udf { get; }

    /// <summary>field = value.</summary>
    public static AutotaskFilter Eq(string field, string value) => Compare("eq", field, value);

    /// <summary>field = value.</summary>
    public static AutotaskFilter Eq(string field, long value) => Compare("eq", field, value);

    /// <summary>field ≠ value.</summary>
    public static AutotaskFilter NotEq(string field, long value) => Compare("noteq", field, value);

    /// <summary>field &gt; value.</summary>
    public static AutotaskFilter Gt(string field, long value) => Compare("gt", field, value);

    /// <summary>field &gt; time (UTC).</summary>
    public static AutotaskFilter Gt(string field, DateTimeOffset value) => Compare("gt", field, Time(value));

    /// <summary>field ≥ value.</summary>
    public static AutotaskFilter Gte(string field, long value) => Compare("gte", field, value);

    /// <summary>field ≥ time (UTC).</summary>
    public static AutotaskFilter Gte(string field, DateTimeOffset value) => Compare("gte", field, Time(value));

    /// <summary>field &lt; value.</summary>
    public static AutotaskFilter Lt(string field, long value) => Compare("lt", field, value);

    /// <summary>field ≤ value.</summary>
    public static AutotaskFilter Lte(string field, long value) => Compare("lte", field, value);

    /// <summary>field contains the text.</summary>
    public static AutotaskFilter Contains(string field, string value) => Compare("contains", field, value);

    /// <summary>field is one of the values.</summary>
    public static AutotaskFilter In(string field, IEnumerable<long> values) =>
        new("in", Require(field), new JsonArray([.. (values ?? throw new ArgumentNullException(nameof(values))).Select(v => (JsonNode)JsonValue.Create(v))]), null, false);

    /// <summary>field has a value.</summary>
    public static AutotaskFilter Exist(string field) => new("exist", Require(field), null, null, false);

    /// <summary>field has no value.</summary>
    public static AutotaskFilter NotExist(string field) => new("notExist", Require(field), null, null, false);

    /// <summary>A user-defined field equal to the text.</summary>
    public static AutotaskFilter UdfEq(string field, string value) => new("eq", Require(field), JsonValue.Create(value), null, true);

    /// <summary>Every condition holds.</summary>
    public static AutotaskFilter And(params AutotaskFilter[] items) => Group("and", items);

    /// <summary>At least one condition holds.</summary>
    public static AutotaskFilter Or(params AutotaskFilter[] items) => Group("or", items);

    /// <summary>The filter as Autotask's JSON.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["op"] = Op };
        if (Field is not null)
        {
            json["field"] = Field;
        }

        if (Udf)
        {
            json["udf"] = true;
        }

        if (Value is not null)
        {
            json["value"] = Value.DeepClone();
        }

        if (Items is not null)
        {
            json["items"] = new JsonArray([.. Items.Select(i => (JsonNode)i.ToJson())]);
        }

        return json;
    }

    /// <inheritdoc />
    public override string ToString() => ToJson().ToJsonString();

    /// <summary>A time as Autotask reads it: UTC with milliseconds and a Z.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static AutotaskFilter Compare(string op, string field, string value) => new(op, Require(field), JsonValue.Create(value), null, false);

    private static AutotaskFilter Compare(string op, string field, long value) => new(op, Require(field), JsonValue.Create(value), null, false);

    private static AutotaskFilter Group(string op, AutotaskFilter[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Length == 0)
        {
            throw new ArgumentException($"An \"{op}\" group needs at least one condition.", nameof(items));
        }

        return new(op, null, null, items, false);
    }

    private static string Require(string field) => string.IsNullOrWhiteSpace(field) ? throw new ArgumentException("A filter needs a field.", nameof(field)) : field;
}

/// <summary>Autotask's QueryModel: the filter, the page size and the fields to return.</summary>
internal static class AutotaskQuery
{
    /// <summary>The body of <c>{Entity}/query</c> and <c>{Entity}/query/count</c>; Autotask wants at least one condition.</summary>
    public static JsonObject Of(AutotaskFilter filter, int? maxRecords = null, IReadOnlyList<string>? includeFields = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var json = new JsonObject();
        if (maxRecords is { } max)
        {
            json["MaxRecords"] = max;
        }

        if (includeFields is { Count: > 0 })
        {
            json["IncludeFields"] = new JsonArray([.. includeFields.Select(f => (JsonNode)JsonValue.Create(f))]);
        }

        json["Filter"] = new JsonArray(filter.ToJson());
        return json;
    }
}
