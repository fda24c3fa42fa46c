using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace EasyConnect.Tests.Support;

/// <summary>How a vendor's OpenAPI document is read as JSON Schema.</summary>
/// <param name="ApplyRequired">
/// Whether <c>required</c> lists apply to responses. ConnectWise's lists describe a create (a member's password, for one),
/// so they do not apply to what it returns.
/// </param>
/// <param name="NullAlwaysAllowed">Whether null passes for every field, whatever <c>nullable</c> says (Zendesk's own examples send it freely).</param>
internal sealed record OpenApiReading(bool ApplyRequired, bool NullAlwaysAllowed);

/// <summary>
/// The component schemas of an OpenAPI 3.0 document turned into JSON Schema 2020-12 and evaluated with JsonSchema.Net:
/// <c>#/components/schemas/X</c> becomes <c>#/$defs/X</c>, <c>nullable</c> becomes a <c>"null"</c> type, and every object
/// schema that lists its properties is closed (a property the document does not know is most likely a misspelling).
/// </summary>
internal sealed class OpenApiSchemas
{
    private static int _documents;
    private readonly JsonObject _defs;
    private readonly OpenApiReading _reading;
    private const string OpenSuffix = ".open";
    private readonly BuildOptions _build = new() { SchemaRegistry = new SchemaRegistry() };

    private OpenApiSchemas(JsonObject document, OpenApiReading reading)
    {
        _reading = reading;
        Document = document;
        var schemas = document["components"]?["schemas"] as JsonObject
            ?? throw new InvalidDataException("The OpenAPI document has no components.schemas.");
        // A schema that is one part of an allOf sees only its own properties: that part refers to an open copy
        // ("X.open"), and the whole is closed instead.
        _defs = new JsonObject(schemas.SelectMany(p => new[]
        {
            KeyValuePair.Create(p.Key, (JsonNode?)Convert(p.Value, closed: true)),
            KeyValuePair.Create(p.Key + OpenSuffix, (JsonNode?)Convert(p.Value, closed: false)),
        }));
    }

    /// <summary>The document as read, for finding a path's inline response schema.</summary>
    public JsonObject Document { get; }

    /// <summary>Reads a JSON OpenAPI document.</summary>
    public static OpenApiSchemas FromJson(string path, OpenApiReading reading) =>
        new(JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject(), reading);

    /// <summary>Reads a YAML OpenAPI document.</summary>
    public static OpenApiSchemas FromYaml(string path, OpenApiReading reading)
    {
        using var reader = System.IO.File.OpenText(path);
        var yaml = new YamlStream();
        yaml.Load(reader);
        return new(ToJson(yaml.Documents[0].RootNode)!.AsObject(), reading);
    }

    /// <summary>The named component schema.</summary>
    public JsonNode Named(string name) => new JsonObject { ["$ref"] = "#/$defs/" + name };

    /// <summary>The schema of a path's 200 answer to GET (inline or a reference).</summary>
    public JsonNode GetResponse(string path)
    {
        var content = Document["paths"]?[path]?["get"]?["responses"]?["200"]?["content"] as JsonObject
            ?? throw new InvalidDataException($"The OpenAPI document has no 200 answer for GET {path}.");
        return content.First().Value!["schema"]!;
    }

    /// <summary>The schema of all named schemas' properties together (the document describes some list pages in parts).</summary>
    public JsonNode Merged(params string[] names)
    {
        var properties = new JsonObject();
        foreach (var name in names)
        {
            foreach (var (key, value) in Document["components"]!["schemas"]![name]!["properties"]!.AsObject())
            {
                properties[key] = value?.DeepClone();
            }
        }

        return new JsonObject { ["type"] = "object", ["properties"] = properties };
    }

    /// <summary>Every way <paramref name="body"/> breaks <paramref name="schema"/>, each as "location: message".</summary>
    public IReadOnlyList<string> Check(JsonElement body, JsonNode schema, string label)
    {
        var root = Convert(schema.DeepClone(), closed: true).AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = _defs.DeepClone();
        var id = new Uri($"https://easyconnect.invalid/openapi/{Interlocked.Increment(ref _documents)}");
        var built = JsonSchema.Build(JsonSerializer.SerializeToElement(root), _build, id);
        var result = built.Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid)
        {
            return [];
        }

        return (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{label} {d.InstanceLocation}: {e.Key}: {e.Value} (schema {d.EvaluationPath})"))
            .Distinct(StringComparer.Ordinal).ToList();
    }

    private JsonNode Convert(JsonNode? node, bool closed)
    {
        if (node is not JsonObject source)
        {
            return node?.DeepClone() ?? new JsonObject();
        }

        var target = new JsonObject();
        foreach (var (key, value) in source)
        {
            switch (key)
            {
                case "$ref":
                    target[key] = value!.GetValue<string>().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                    break;
                case "nullable" or "example" or "examples" or "discriminator" or "xml" or "externalDocs":
                    break;
                case "required" when !_reading.ApplyRequired:
                    break;
                case "properties":
                    target[key] = new JsonObject(value!.AsObject().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Convert(p.Value, closed: true))));
                    break;
                case "items" or "additionalProperties" when value is JsonObject:
                    target[key] = Convert(value, closed: true);
                    break;
                case "allOf":
                    target[key] = new JsonArray(value!.AsArray().Select(v => (JsonNode?)OpenPart(Convert(v, closed: false))).ToArray());
                    break;
                case "anyOf" or "oneOf":
                    target[key] = new JsonArray(value!.AsArray().Select(v => (JsonNode?)Convert(v, closed: true)).ToArray());
                    break;
                default:
                    target[key] = value?.DeepClone();
                    break;
            }
        }

        var nullable = _reading.NullAlwaysAllowed || source["nullable"] is JsonValue v && v.TryGetValue<bool>(out var n) && n;
        if (nullable)
        {
            AllowNull(target);
        }

        if (closed && !source.ContainsKey("additionalProperties") && (source.ContainsKey("properties") || source.ContainsKey("allOf")))
        {
            target["unevaluatedProperties"] = false;
        }

        return target;
    }

    private static void AllowNull(JsonObject schema)
    {
        if (schema["type"] is JsonValue type && type.TryGetValue<string>(out var name))
        {
            schema["type"] = new JsonArray(name, "null");
            if (schema["enum"] is JsonArray values && !values.Any(x => x is null))
            {
                values.Add(null);
            }
        }
        else if (!schema.ContainsKey("type"))
        {
            // A $ref or a composition: null is one more way to match, beside everything the schema already allows.
            var inner = new JsonObject(schema.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
            schema.Clear();
            schema["anyOf"] = new JsonArray(inner, new JsonObject { ["type"] = "null" });
        }
    }

    private static JsonNode OpenPart(JsonNode part)
    {
        if (part is JsonObject o && o["$ref"] is JsonValue r && r.GetValue<string>() is { } reference && reference.StartsWith("#/$defs/", StringComparison.Ordinal))
        {
            o["$ref"] = reference + OpenSuffix;
        }

        return part;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value;
        if (scalar.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted or YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            null or "~" or "null" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            _ when long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(text),
        };
    }
}
