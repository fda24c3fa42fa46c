using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Sync.Sandbox.Autotask;

/// <summary>The simulated Autotask PSA REST API: its registration and its endpoints.</summary>
public static class AutotaskSandboxEndpoints
{
    /// <summary>Registers <see cref="AutotaskSandboxState"/> (a singleton seeded from <see cref="AutotaskSandboxOptions"/>).</summary>
    public static IServiceCollection AddEasyConnectAutotaskSandbox(this IServiceCollection services, Action<AutotaskSandboxOptions>? configure = null)
        => services.AddSandboxState(
            AutotaskSandboxOptions.SectionName, configure, (options, time) => new AutotaskSandboxState(options, time));

    /// <summary>
    /// Serves the sandbox under <paramref name="prefix"/>: zone discovery at <c>ATServicesRest/V1.0/zoneInformation</c>, the API
    /// under <c>{zone}/ATServicesRest/V1.0/</c>, and <c>_admin/faults</c> and <c>_admin/requests</c> as the other sandboxes do.
    /// </summary>
    public static IEndpointRouteBuilder MapAutotaskSandbox(this IEndpointRouteBuilder app, string prefix = "/sandbox/autotask")
    {
        ArgumentNullException.ThrowIfNull(app);
        var state = app.ServiceProvider.GetService<AutotaskSandboxState>()
            ?? throw new InvalidOperationException("Call services.AddEasyConnectAutotaskSandbox() before MapAutotaskSandbox().");
        prefix = "/" + prefix.Trim('/');
        var zoneRoot = $"{prefix}/{state.Options.Zone}/ATServicesRest";

        // Zone discovery is exempt from thread limiting.
        app.MapGet(prefix + "/ATServicesRest/V1.0/zoneInformation", (string? user, HttpContext context) =>
        {
            state.Faults.Next(context.Request.Method, context.Request.Path + context.Request.QueryString);
            var origin = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
            return IsApiUser(state.Options, user)
                ? Results.Json(new { zoneName = "America East 5", url = origin + zoneRoot, webUrl = origin + prefix + "/ui", ci = state.Options.DatabaseId })
                : Errors(404, "Zone information could not be determined for the user.");
        });

        var admin = app.MapGroup(prefix + "/_admin");
        admin.MapGet("/faults", () => Results.Json(state.Faults.Faults));
        admin.MapPut("/faults", (SandboxFaults faults) =>
        {
            state.Faults.Faults = faults;
            return Results.Json(state.Faults.Faults);
        });
        admin.MapGet("/requests", () => Results.Json(new { received = state.Faults.RequestsReceived, thisHour = state.RequestsThisHour }));
        admin.MapPost("/requests/reset", () =>
        {
            state.Faults.ResetRequests();
            return Results.NoContent();
        });

        var api = app.MapGroup(zoneRoot + "/V1.0");
        api.AddEndpointFilter(async (invocation, next) => await Guard(state, invocation, next));

        api.MapGet("/ThresholdInformation", () => Results.Json(new
        {
            externalRequestThreshold = state.Options.HourlyThreshold,
            requestThresholdTimeframe = 60,
            currentTimeframeRequestCount = state.RequestsThisHour,
        }));

        api.MapPost("/{entity}/query", async (string entity, HttpContext context) =>
            Query(state, context, entity, AutotaskSandboxQuery.Parse(await Body(context)), null, 0, []));
        api.MapGet("/{entity}/query", (string entity, string? search, HttpContext context) =>
            Query(state, context, entity, AutotaskSandboxQuery.Parse(search ?? "{}"), null, 0, []));
        api.MapGet("/{entity}/query/next", (string entity, string paging, HttpContext context) =>
        {
            var (query, after, earlier) = AutotaskSandboxQuery.ReadToken(paging);
            return Query(state, context, entity, query, null, after, earlier);
        });
        api.MapPost("/{entity}/query/count", async (string entity, HttpContext context) =>
        {
            var query = AutotaskSandboxQuery.Parse(await Body(context));
            return Results.Json(new { queryCount = state.Visible(entity, AutotaskSandboxQuery.Predicate(query)).Count });
        });
        api.MapGet("/{entity}/entityInformation/fields", (string entity) => Fields(state, entity));
        api.MapGet("/{entity}/entityInformation/userDefinedFields", (string entity) => Results.Json(new JsonObject
        {
            ["fields"] = new JsonArray([.. state.UserDefinedFieldNames(AutotaskSandboxState.Canonical(entity)).Select(name => (JsonNode)new JsonObject
            {
                ["name"] = name, ["label"] = name, ["dataType"] = "string", ["length"] = 8000, ["isRequired"] = false, ["isReadOnly"] = false,
                ["isQueryable"] = true, ["isReference"] = false, ["isPickList"] = false, ["picklistValues"] = null,
            })]),
        }));
        api.MapGet("/{entity}/{id:long}", (string entity, long id) =>
            Results.Json(new JsonObject { ["item"] = state.VisibleOne(entity, id) }));
        api.MapPost("/{entity}", async (string entity, HttpContext context) =>
        {
            var body = await Object(context);
            var creator = AutotaskSandboxState.Canonical(entity) == AutotaskSandboxState.TicketNotes ? Impersonated(state, context) : null;
            return Results.Json(new { itemId = state.Create(entity, body, creator ?? state.ApiResourceId, creator is null ? null : state.ApiResourceId) });
        });
        api.MapPatch("/{entity}", async (string entity, HttpContext context) =>
            Results.Json(new { itemId = state.Update(entity, await Object(context), null) }));

        api.MapGet("/Tickets/{id:long}/Notes", (long id, HttpContext context) =>
            Query(state, context, AutotaskSandboxState.TicketNotes, new JsonObject(), id, 0, []));
        api.MapPost("/Tickets/{id:long}/Notes/query", async (long id, HttpContext context) =>
            Query(state, context, AutotaskSandboxState.TicketNotes, AutotaskSandboxQuery.Parse(await Body(context)), id, 0, []));
        api.MapPost("/Tickets/{id:long}/Notes", async (long id, HttpContext context) =>
        {
            var body = await Object(context);
            body["ticketID"] = id;
            var impersonated = Impersonated(state, context);
            return Results.Json(new { itemId = state.Create(AutotaskSandboxState.TicketNotes, body, impersonated ?? state.ApiResourceId, impersonated is null ? null : state.ApiResourceId) });
        });
        api.MapPatch("/Tickets/{id:long}/Notes", async (long id, HttpContext context) =>
            Results.Json(new { itemId = state.Update(AutotaskSandboxState.TicketNotes, await Object(context), id) }));

        return app;
    }

    /// <summary>Every API request: authenticated, thread-limited, counted against the hour, delayed and faulted as Autotask would.</summary>
    private static async ValueTask<object?> Guard(AutotaskSandboxState state, EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var request = context.Request;
        var (fault, settings) = state.Faults.Next(request.Method, request.Path + request.QueryString);
        if (Authenticate(state, request) is { } refused)
        {
            return refused;
        }

        // Autotask allows a few concurrent requests per integration code and object endpoint; ThresholdInformation is not exempt.
        var endpoint = request.Headers["ApiIntegrationCode"] + "|" + ThreadEndpoint(request);
        if (!state.EnterThread(endpoint))
        {
            return Errors(429, $"Thread Threshold Exceeded: the threshold of {state.Options.ThreadLimit} threads has been exceeded for this endpoint.");
        }

        try
        {
            if (state.CountRequest() is not { } used)
            {
                return Errors(429, $"Request Threshold Exceeded: the database has used its {state.Options.HourlyThreshold} requests of the rolling hour.");
            }

            // Autotask slows every call once the hour's usage passes half, and more past three quarters, of the threshold.
            var delay = settings.LatencyMs + state.ThresholdLatencyMs(used);
            if (delay > 0)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            if (await SandboxFaultAnswers.BeforeAsync(context, fault, settings,
                () => Errors(500, "An unexpected error occurred on the server."), () => Errors(429, "Thread Threshold Exceeded")) is { } faulted)
            {
                return faulted;
            }

            object? result;
            try
            {
                result = await next(invocation);
            }
            catch (AutotaskSandboxError e)
            {
                return Errors(e.Status, e.Message);
            }

            return await SandboxFaultAnswers.AfterAsync(context, fault, settings, result);
        }
        finally
        {
            state.LeaveThread(endpoint);
        }
    }

    // The object endpoint a request's thread counts against: the entity, and for Tickets/{id}/Notes… the child entity, TicketNotes.
    private static string ThreadEndpoint(HttpRequest request)
    {
        if (request.RouteValues["entity"] is string entity)
        {
            return entity;
        }

        var path = request.Path.Value ?? "";
        return path.Contains("/Tickets/", StringComparison.OrdinalIgnoreCase) && path.Contains("/Notes", StringComparison.OrdinalIgnoreCase)
            ? AutotaskSandboxState.TicketNotes
            : path.Split('/').LastOrDefault(s => s.Length > 0 && !char.IsDigit(s[0])) ?? "";
    }

    // Autotask answers an unknown user name or integration code with a 500, and a wrong secret for a known user with a 401.
    private static IResult? Authenticate(AutotaskSandboxState state, HttpRequest request)
    {
        var o = state.Options;
        if (!IsApiUser(o, request.Headers["UserName"].ToString()))
        {
            return Errors(500, "Unable to find a user with the user name given in the UserName header.");
        }

        if (request.Headers["ApiIntegrationCode"].ToString() != o.IntegrationCode)
        {
            return Errors(500, "The ApiIntegrationCode is not valid.");
        }

        return request.Headers["Secret"].ToString() == o.Secret ? null : Errors(401, "The user name or secret is not valid.");
    }

    private static bool IsApiUser(AutotaskSandboxOptions options, string? user) =>
        string.Equals(user, options.UserName, StringComparison.OrdinalIgnoreCase)
        || options.OtherApiUsers.Contains(user ?? "", StringComparer.OrdinalIgnoreCase);

    private static long? Impersonated(AutotaskSandboxState state, HttpContext context)
    {
        var header = context.Request.Headers["ImpersonationResourceId"].ToString();
        if (header.Length == 0)
        {
            return null;
        }

        return long.TryParse(header, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
            && state.Find(AutotaskSandboxState.Resources, id) is { } resource && resource["isActive"]?.GetValue<bool>() == true
            ? id
            : throw new AutotaskSandboxError(500, $"ImpersonationResourceId {header} is not an active resource.");
    }

    private static IResult Query(AutotaskSandboxState state, HttpContext context, string entity, JsonObject query, long? ticketId, long after, List<long> earlier)
    {
        entity = AutotaskSandboxState.Canonical(entity);
        var size = AutotaskSandboxQuery.PageSize(query);
        var predicate = AutotaskSandboxQuery.Predicate(query);
        var rows = state.Visible(entity, r => (ticketId is null || AutotaskSandboxState.Long(r["ticketID"]) == ticketId) && AutotaskSandboxState.Long(r["id"]) > after && predicate(r));
        var page = rows.Take(size).ToList();
        var origin = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        var path = context.Request.Path.Value!;
        var next = $"{origin}{path[..(path.IndexOf("/V1.0/", StringComparison.OrdinalIgnoreCase) + "/V1.0/".Length)]}{entity}/query/next?paging=";
        var scoped = ticketId is null ? query : Scoped(query, ticketId.Value);
        string? nextPageUrl = null;
        if (rows.Count > size)
        {
            // Autotask pages past 500 rows by id, so IncludeFields must then name id.
            if (query["includeFields"] is JsonArray { Count: > 0 } include && !include.Any(f => string.Equals(f?.GetValue<string>(), "id", StringComparison.OrdinalIgnoreCase)))
            {
                throw new AutotaskSandboxError(500, "IncludeFields must include id when the query returns more than 500 records.");
            }

            nextPageUrl = next + AutotaskSandboxQuery.Token(scoped, AutotaskSandboxState.Long(page[^1]["id"])!.Value, [.. earlier, after]);
        }

        var prevPageUrl = earlier.Count == 0 ? null : next + AutotaskSandboxQuery.Token(scoped, earlier[^1], earlier[..^1]);
        var items = new JsonArray([.. page.Select(r => (JsonNode)AutotaskSandboxQuery.Project(r, query))]);
        return Results.Json(new JsonObject
        {
            ["items"] = items,
            ["pageDetails"] = new JsonObject { ["count"] = page.Count, ["requestCount"] = size, ["prevPageUrl"] = prevPageUrl, ["nextPageUrl"] = nextPageUrl },
        });
    }

    private static JsonObject Scoped(JsonObject query, long ticketId)
    {
        var scoped = (JsonObject)query.DeepClone();
        var filters = scoped["filter"] as JsonArray ?? [];
        filters.Add(new JsonObject { ["op"] = "eq", ["field"] = "ticketID", ["value"] = ticketId });
        scoped["filter"] = filters.DeepClone();
        return scoped;
    }

    private static IResult Fields(AutotaskSandboxState state, string entity)
    {
        entity = AutotaskSandboxState.Canonical(entity);
        var sample = state.Visible(entity).FirstOrDefault() ?? new JsonObject();
        var picklists = state.Picklists(entity).ToDictionary(p => p.Field, p => p.Values, StringComparer.OrdinalIgnoreCase);
        var names = sample.Select(p => p.Key).Concat(picklists.Keys).Concat(AutotaskSandboxState.RequiredFields(entity)).Distinct(StringComparer.OrdinalIgnoreCase);
        var fields = new JsonArray();
        foreach (var name in names)
        {
            var isPicklist = picklists.TryGetValue(name, out var values);
            fields.Add(new JsonObject
            {
                ["name"] = name,
                ["dataType"] = DataType(sample[name], name),
                ["length"] = AutotaskSandboxState.Length(entity, name) ?? 0,
                ["isRequired"] = AutotaskSandboxState.RequiredFields(entity).Contains(name, StringComparer.OrdinalIgnoreCase),
                ["isReadOnly"] = name == "id" || AutotaskSandboxState.StampFields(entity).Contains(name, StringComparer.OrdinalIgnoreCase),
                ["isQueryable"] = true,
                ["isReference"] = name.EndsWith("ID", StringComparison.Ordinal) && !isPicklist,
                ["referenceEntityType"] = "",
                ["isPickList"] = isPicklist,
                ["picklistValues"] = isPicklist
                    ? new JsonArray([.. values!.Select(v => (JsonNode)new JsonObject
                    {
                        ["value"] = v.Value,
                        ["label"] = v.Label,
                        ["isDefaultValue"] = v.IsDefaultValue,
                        ["sortOrder"] = v.SortOrder,
                        ["parentValue"] = v.ParentValue,
                        ["isActive"] = v.IsActive,
                        ["isSystem"] = false,
                    })])
                    : null,
                ["picklistParentValueField"] = isPicklist && values!.FirstOrDefault(v => v.ParentValue.Length > 0) is not null ? ParentField(entity, name) : "",
                ["isSupportedWebhookField"] = false,
            });
        }

        return Results.Json(new JsonObject { ["fields"] = fields });
    }

    // The one parent relation Autotask documents among the sandbox's picklists: a ticket's sub-issue type belongs to its issue type.
    private static string ParentField(string entity, string field) =>
        entity == AutotaskSandboxState.Tickets && string.Equals(field, "subIssueType", StringComparison.OrdinalIgnoreCase) ? "issueType" : "";

    private static string DataType(JsonNode? sample, string name) => sample?.GetValueKind() switch
    {
        JsonValueKind.Number => name == "id" ? "long" : "integer",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.String when name.Contains("Date", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Time", StringComparison.Ordinal) => "datetime",
        _ => "string",
    };


    private static async Task<string> Body(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }

    private static async Task<JsonObject> Object(HttpContext context) => AutotaskSandboxQuery.Parse(await Body(context));

    internal static IResult Errors(int status, params string[] errors) =>
        Results.Json(new { errors }, (JsonSerializerOptions?)null, statusCode: status);
}
