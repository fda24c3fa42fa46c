using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace EasyConnect.Tests.Sync.Portal;

/// <summary>The sandbox's ticket, comment and user bodies checked against the schemas of Zendesk's published OpenAPI document.</summary>
public sealed class PortalSandboxFidelityTests
{
    /// <summary>Zendesk's document in the shared reference folder beside the repository (../shared from its root).</summary>
    private static string SpecPath
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "EasyConnect.sln")))
            {
                root = root.Parent;
            }

            return root is null ? "" : Path.GetFullPath(Path.Combine(root.FullName, "..", "shared", "reference", "zendesk", "zendesk-support-oas.yaml"));
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Responses_MatchZendeskSchemas_ForTicketCommentsUsersAndExport()
    {
        // Arrange
        var specFile = Environment.GetEnvironmentVariable("EASYCONNECT_ZENDESK_SPEC") ?? SpecPath;
        if (!File.Exists(specFile))
        {
            Assert.Skip($"Zendesk's OpenAPI document is not at {specFile}; set EASYCONNECT_ZENDESK_SPEC to check the sandbox against it.");
        }

        var schemas = LoadSchemas(specFile);
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 5);
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{host.State.Options.AgentEmail}/token:{host.State.Options.ApiToken}")));
        // The document describes cursor pagination's meta and links once (Pagination), not on each list response.
        schemas["TicketCommentsPage"] = Merge(schemas["TicketCommentsResponse"], schemas["Pagination"]);
        var checks = new (string Url, string Schema)[]
        {
            ("api/v2/tickets/1.json", "TicketResponse"),
            ("api/v2/tickets/1/comments.json?page[size]=2", "TicketCommentsPage"),
            ("api/v2/users/me.json", "UserResponse"),
            ("api/v2/users/show_many.json?ids=1000,1001", "UsersResponse"),
            ("api/v2/incremental/tickets/cursor.json?start_time=0", "CursorBasedExportIncrementalTicketsResponse"),
        };

        // Act
        var errors = new List<string>();
        foreach (var (url, schema) in checks)
        {
            var body = await http.GetStringAsync(url, Ct);
            using var document = JsonDocument.Parse(body);
            new SchemaChecker(schemas).Check(document.RootElement, schemas[schema], $"{url} {schema}", errors);
        }

        // Assert
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static YamlMappingNode Merge(YamlMappingNode a, YamlMappingNode b)
    {
        var properties = new YamlMappingNode();
        foreach (var source in new[] { a, b })
        {
            foreach (var (key, value) in (YamlMappingNode)source["properties"])
            {
                properties.Add(key, value);
            }
        }

        return new YamlMappingNode { { "type", "object" }, { "properties", properties } };
    }

    private static Dictionary<string, YamlMappingNode> LoadSchemas(string path)
    {
        using var reader = File.OpenText(path);
        var yaml = new YamlStream();
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var schemas = (YamlMappingNode)((YamlMappingNode)root["components"])["schemas"];
        return schemas.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => (YamlMappingNode)p.Value, StringComparer.Ordinal);
    }

    /// <summary>The subset of OpenAPI 3.0 schema rules the sandbox's bodies need: $ref, anyOf/oneOf/allOf, type, enum, date-time, required, properties, items.</summary>
    private sealed class SchemaChecker(Dictionary<string, YamlMappingNode> schemas)
    {
        public void Check(JsonElement value, YamlMappingNode schema, string path, List<string> errors)
        {
            schema = Resolve(schema);
            if (Get(schema, "anyOf") is YamlSequenceNode anyOf || Get(schema, "oneOf") is YamlSequenceNode oneOf && (anyOf = oneOf) is not null)
            {
                var branches = anyOf.Children.Cast<YamlMappingNode>().Select(b =>
                {
                    var found = new List<string>();
                    Check(value, b, path, found);
                    return found;
                }).ToList();
                if (branches.All(b => b.Count > 0))
                {
                    errors.AddRange(branches.OrderBy(b => b.Count).First());
                }

                return;
            }

            foreach (var part in (Get(schema, "allOf") as YamlSequenceNode)?.Children.Cast<YamlMappingNode>() ?? [])
            {
                Check(value, part, path, errors);
            }

            // Zendesk's own examples send null for fields the document does not mark nullable (assignee_id, group_id, …), so null passes.
            if (value.ValueKind == JsonValueKind.Null)
            {
                return;
            }

            var type = Scalar(schema, "type");
            var ok = type switch
            {
                "string" => value.ValueKind == JsonValueKind.String,
                "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
                "number" => value.ValueKind == JsonValueKind.Number,
                "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                "array" => value.ValueKind == JsonValueKind.Array,
                "object" => value.ValueKind == JsonValueKind.Object,
                _ => true,
            };
            if (!ok)
            {
                errors.Add($"{path}: expected {type}, got {value.ValueKind}");
                return;
            }

            if (Get(schema, "enum") is YamlSequenceNode values && value.ValueKind == JsonValueKind.String
                && !values.Children.OfType<YamlScalarNode>().Any(v => v.Value == value.GetString()))
            {
                errors.Add($"{path}: \"{value.GetString()}\" is not one of the allowed values");
            }

            if (Scalar(schema, "format") == "date-time" && value.ValueKind == JsonValueKind.String
                && !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
            {
                errors.Add($"{path}: \"{value.GetString()}\" is not a date-time");
            }

            if (value.ValueKind == JsonValueKind.Array && Get(schema, "items") is YamlMappingNode items)
            {
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(item, items, $"{path}[{i++}]", errors);
                }
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var required in (Get(schema, "required") as YamlSequenceNode)?.Children.OfType<YamlScalarNode>() ?? [])
            {
                if (!value.TryGetProperty(required.Value!, out _))
                {
                    errors.Add($"{path}: required property {required.Value} is missing");
                }
            }

            if (Get(schema, "properties") is not YamlMappingNode properties)
            {
                return;
            }

            var open = Get(schema, "additionalProperties") is YamlScalarNode { Value: "true" } or YamlMappingNode;
            foreach (var property in value.EnumerateObject())
            {
                if (Get(properties, property.Name) is YamlMappingNode propertySchema)
                {
                    Check(property.Value, propertySchema, $"{path}.{property.Name}", errors);
                }
                else if (!open)
                {
                    // A name the document does not know is most likely a misspelling of a real field.
                    errors.Add($"{path}: property {property.Name} is not in the schema");
                }
            }
        }

        private YamlMappingNode Resolve(YamlMappingNode schema)
        {
            while (Scalar(schema, "$ref") is { } reference)
            {
                schema = schemas[reference["#/components/schemas/".Length..]];
            }

            return schema;
        }

        private static YamlNode? Get(YamlMappingNode node, string key) =>
            node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        private static string? Scalar(YamlMappingNode node, string key) => (Get(node, key) as YamlScalarNode)?.Value;
    }
}
