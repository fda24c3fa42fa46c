using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace EasyConnect.Tests.Sync.Psa.ConnectWise;

/// <summary>
/// The ConnectWise sandbox's bodies for tickets, notes, members, priorities, boards, statuses and companies, checked against the
/// response schemas of ConnectWise's published OpenAPI document (read at test time, never copied into the project).
/// </summary>
public sealed class ConnectWiseSandboxFidelityTests
{
    // The reference material lives in shared/, beside the repository (never copied into it).
    private static string SpecPath
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "EasyConnect.Tests")))
            {
                directory = directory.Parent;
            }

            return Path.GetFullPath(Path.Combine(directory?.FullName ?? ".", "..", "shared", "reference", "connectwise", "connectwise-psa-openapi-2026.4-get-subset.json"));
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Responses_MatchConnectWiseSchemas_ForEveryEntityTheSyncReads()
    {
        // Arrange
        var specFile = Environment.GetEnvironmentVariable("EASYCONNECT_CONNECTWISE_SPEC") ?? SpecPath;
        if (!File.Exists(specFile))
        {
            Assert.Skip($"ConnectWise's OpenAPI document is not at {specFile}; set EASYCONNECT_CONNECTWISE_SPEC to check the sandbox against it.");
        }

        using var spec = JsonDocument.Parse(await File.ReadAllTextAsync(specFile, Ct));
        await using var host = await ConnectWiseSandboxHost.StartAsync();
        var client = host.Client();
        var ticket = (await ConnectWiseClientTests.ReadAll(client, EasyConnect.Sync.Psa.PsaEntity.Tickets, null)).First();
        await client.CreateNoteAsync(ticket.Id, new EasyConnect.Sync.Psa.PsaNoteCreate("Checked against the schema.", false, true, null), Ct);
        var board = host.State.Defaults().BoardId.ToString(CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = new Uri(host.Site.TrimEnd('/') + "/" + host.State.Options.Codebase + "apis/3.0/") };
        var o = host.State.Options;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.CompanyId}+{o.PublicKey}:{o.PrivateKey}")));
        http.DefaultRequestHeaders.Add("clientId", "6b1f8d0e-0000-4000-8000-00000000ec01");
        var checks = new (string Url, string SpecPath)[]
        {
            ($"service/tickets/{ticket.Id}", "/service/tickets/{id}"),
            ("service/tickets?pageSize=5", "/service/tickets"),
            ($"service/tickets/{ticket.Id}/notes", "/service/tickets/{parentId}/notes"),
            ("system/members?pageSize=50", "/system/members"),
            ("service/priorities", "/service/priorities"),
            ("service/boards", "/service/boards"),
            ($"service/boards/{board}/statuses", "/service/boards/{parentId}/statuses"),
            ("company/companies?pageSize=50", "/company/companies"),
        };

        // Act
        var errors = new List<string>();
        var checkedProperties = 0;
        foreach (var (url, path) in checks)
        {
            var body = await http.GetStringAsync(url, Ct);
            using var document = JsonDocument.Parse(body);
            var checker = new SchemaChecker(spec.RootElement);
            checker.Check(document.RootElement, ResponseSchema(spec.RootElement, path), url, errors);
            checkedProperties += checker.Properties;
        }

        // Assert
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.True(checkedProperties > 100, $"only {checkedProperties} properties were checked");
    }

    private static JsonElement ResponseSchema(JsonElement spec, string path)
    {
        var content = spec.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        return content.EnumerateObject().First().Value.GetProperty("schema");
    }

    /// <summary>
    /// The subset of OpenAPI 3.0 schema rules these bodies need: $ref, allOf/anyOf/oneOf, type, nullable, enum, date-time,
    /// properties (a property the schema does not know is an error), additionalProperties and items. The document's
    /// <c>required</c> lists describe a create (a member's password, for one), so they are not applied to reads.
    /// </summary>
    private sealed class SchemaChecker(JsonElement spec)
    {
        public int Properties { get; private set; }

        public void Check(JsonElement value, JsonElement schema, string at, List<string> errors)
        {
            schema = Resolve(schema);
            if (schema.TryGetProperty("allOf", out var all))
            {
                foreach (var part in all.EnumerateArray())
                {
                    Check(value, part, at, errors);
                }

                return;
            }

            foreach (var keyword in new[] { "anyOf", "oneOf" })
            {
                if (schema.TryGetProperty(keyword, out var options))
                {
                    if (!options.EnumerateArray().Any(option => { var e = new List<string>(); Check(value, option, at, e); return e.Count == 0; }))
                    {
                        errors.Add($"{at}: matches none of the {keyword} schemas");
                    }

                    return;
                }
            }

            if (value.ValueKind == JsonValueKind.Null)
            {
                if (!(schema.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean()))
                {
                    errors.Add($"{at}: null where the schema does not allow it");
                }

                return;
            }

            var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "object":
                    CheckObject(value, schema, at, errors);
                    break;
                case "array":
                    if (value.ValueKind != JsonValueKind.Array)
                    {
                        errors.Add($"{at}: {value.ValueKind} where an array is expected");
                        break;
                    }

                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        Check(item, schema.GetProperty("items"), $"{at}[{i++}]", errors);
                    }

                    break;
                case "string":
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        errors.Add($"{at}: {value.ValueKind} where a string is expected");
                    }
                    else if (schema.TryGetProperty("format", out var format) && format.GetString() == "date-time"
                        && !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
                    {
                        errors.Add($"{at}: \"{value.GetString()}\" is not a date-time");
                    }
                    else if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.GetString() == value.GetString()))
                    {
                        errors.Add($"{at}: \"{value.GetString()}\" is not one of the schema's values");
                    }

                    break;
                case "integer":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))
                    {
                        errors.Add($"{at}: {value} where an integer is expected");
                    }

                    break;
                case "number":
                    if (value.ValueKind != JsonValueKind.Number)
                    {
                        errors.Add($"{at}: {value.ValueKind} where a number is expected");
                    }

                    break;
                case "boolean":
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        errors.Add($"{at}: {value.ValueKind} where a boolean is expected");
                    }

                    break;
                case null when schema.TryGetProperty("properties", out _):
                    CheckObject(value, schema, at, errors);
                    break;
            }
        }

        private void CheckObject(JsonElement value, JsonElement schema, string at, List<string> errors)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{at}: {value.ValueKind} where an object is expected");
                return;
            }

            var hasProperties = schema.TryGetProperty("properties", out var properties);
            var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
            foreach (var property in value.EnumerateObject())
            {
                Properties++;
                if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
                {
                    Check(property.Value, propertySchema, $"{at}.{property.Name}", errors);
                }
                else if (hasAdditional && additional.ValueKind == JsonValueKind.Object)
                {
                    Check(property.Value, additional, $"{at}.{property.Name}", errors);
                }
                else if (!(hasAdditional && additional.ValueKind == JsonValueKind.True))
                {
                    errors.Add($"{at}.{property.Name}: not a property of the schema");
                }
            }
        }

        private JsonElement Resolve(JsonElement schema)
        {
            while (schema.TryGetProperty("$ref", out var reference))
            {
                var name = reference.GetString()!["#/components/schemas/".Length..];
                schema = spec.GetProperty("components").GetProperty("schemas").GetProperty(name);
            }

            return schema;
        }
    }
}
