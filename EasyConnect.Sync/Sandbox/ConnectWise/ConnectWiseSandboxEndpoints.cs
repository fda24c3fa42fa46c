using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace EasyConnect.Sync.Sandbox.ConnectWise;

/// <summary>The simulated ConnectWise PSA: its registration and its endpoints.</summary>
public static class ConnectWiseSandboxEndpoints
{
    /// <summary>Registers <see cref="ConnectWiseSandboxState"/> (a singleton seeded from <see cref="ConnectWiseSandboxOptions"/>).</summary>
    public static IServiceCollection AddEasyConnectConnectWiseSandbox(this IServiceCollection services, Action<ConnectWiseSandboxOptions>? configure = null)
        => services.AddSandboxState(
            ConnectWiseSandboxOptions.SectionName, configure, (options, time) => new ConnectWiseSandboxState(options, time));

    /// <summary>
    /// Serves the sandbox under <paramref name="prefix"/>: <c>login/companyinfo/{companyId}</c>, the API under
    /// <c>{codebase}apis/3.0/</c>, and <c>_admin/faults</c> (GET/PUT <see cref="SandboxFaults"/>) and <c>_admin/requests</c>
    /// to inject faults and read the request count at runtime. Needs <see cref="AddEasyConnectConnectWiseSandbox"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapConnectWiseSandbox(this IEndpointRouteBuilder app, string prefix = "/sandbox/connectwise")
    {
        ArgumentNullException.ThrowIfNull(app);
        var state = app.ServiceProvider.GetService<ConnectWiseSandboxState>()
            ?? throw new InvalidOperationException("Call services.AddEasyConnectConnectWiseSandbox() before MapConnectWiseSandbox().");
        prefix = "/" + prefix.Trim('/');

        app.MapGet(prefix + "/login/companyinfo/{companyId}", (string companyId, HttpContext context) =>
        {
            state.Faults.Next(context.Request.Method, context.Request.Path);
            // ConnectWise's companyinfo sends every field as a string, booleans as "True"/"False" (Developer Guide, "Calling Company Info").
            var codebase = state.Codebase;
            return string.Equals(companyId, state.Options.CompanyId, StringComparison.OrdinalIgnoreCase)
                ? Results.Json(new Dictionary<string, string>
                {
                    ["CompanyName"] = "EasyConnect Sandbox MSP",
                    ["Codebase"] = codebase,
                    ["VersionCode"] = "v" + codebase.TrimStart('v').TrimEnd('/').Replace('_', '.'),
                    ["VersionNumber"] = "v4.6." + codebase.TrimStart('v').TrimEnd('/').Replace('_', '.'),
                    ["CompanyID"] = state.Options.CompanyId,
                    ["IsCloud"] = state.IsCloud ? "True" : "False",
                    ["SiteUrl"] = context.Request.Host.Value ?? "",
                }, (JsonSerializerOptions?)null)
                : Error(404, "NotFound", $"Company {companyId} not found");
        });

        var admin = app.MapGroup(prefix + "/_admin");
        admin.MapGet("/faults", () => Results.Json(state.Faults.Faults));
        admin.MapPut("/faults", (SandboxFaults faults) =>
        {
            state.Faults.Faults = faults;
            return Results.Json(state.Faults.Faults);
        });
        admin.MapGet("/requests", () => Results.Json(new { received = state.Faults.RequestsReceived }));
        admin.MapPost("/requests/reset", () =>
        {
            state.Faults.ResetRequests();
            return Results.NoContent();
        });

        // The codebase is a route value: the current one is served, "v4_6_release/" and former ones redirect (hosted upgrades).
        var api = app.MapGroup(prefix + "/{codebase}/apis/3.0");
        api.AddEndpointFilter(async (invocation, next) => await Guard(state, prefix, invocation, next));

        api.MapGet("/system/info", () => Results.Json(new { version = "v2025.1.104", isCloud = false, serverTimeZone = "Eastern Standard Time", licenseBits = Array.Empty<object>() }));

        MapTable(api, "/service/tickets", state, s => s.Tickets);
        MapTable(api, "/company/companies", state, s => s.Companies);
        MapTable(api, "/company/configurations", state, s => s.Configurations);
        MapTable(api, "/system/members", state, s => s.Members);
        MapTable(api, "/service/priorities", state, s => s.Priorities);
        MapTable(api, "/service/boards", state, s => s.Boards);

        api.MapGet("/service/boards/{boardId:int}/statuses", (int boardId, HttpContext context) =>
            WithBoard(state, boardId, () => List(context, state, s => s.Statuses, r => r.ParentId == boardId)));
        api.MapGet("/service/boards/{boardId:int}/statuses/count", (int boardId, HttpContext context) =>
            WithBoard(state, boardId, () => Count(context, state, s => s.Statuses, r => r.ParentId == boardId)));
        api.MapGet("/service/boards/{boardId:int}/statuses/{id:int}", (int boardId, int id) =>
            One(state, s => s.Statuses.Find(id) is { } r && r.ParentId == boardId ? r : null, $"Service Status {id} not found for Service Board {boardId}"));

        api.MapPost("/service/tickets", async (HttpContext context) =>
        {
            var body = await Body(context) as JsonObject ?? throw new ConnectWiseSandboxError(400, "InvalidObject", "ticket object is invalid");
            return Json(state.CreateTicket(body, null).Json, 201);
        });
        api.MapPatch("/service/tickets/{id:int}", async (int id, HttpContext context) =>
        {
            var body = await Body(context) as JsonArray
                ?? throw new ConnectWiseSandboxError(400, "InvalidObject", "A PATCH body is a JSON Patch array of operations.");
            return Json(state.PatchTicket(id, body).Json);
        });

        api.MapGet("/service/tickets/{id:int}/notes", (int id, HttpContext context) =>
            WithTicket(state, id, () => List(context, state, s => s.Notes, r => r.ParentId == id)));
        api.MapGet("/service/tickets/{id:int}/notes/count", (int id, HttpContext context) =>
            WithTicket(state, id, () => Count(context, state, s => s.Notes, r => r.ParentId == id)));
        api.MapGet("/service/tickets/{id:int}/notes/{noteId:int}", (int id, int noteId) =>
            One(state, s => s.Notes.Find(noteId) is { } r && r.ParentId == id ? r : null, $"Service Note {noteId} not found"));
        api.MapPost("/service/tickets/{id:int}/notes", async (int id, HttpContext context) =>
        {
            var body = await Body(context) as JsonObject ?? throw new ConnectWiseSandboxError(400, "InvalidObject", "serviceNote object is invalid");
            return Json(state.AddNote(id, body).Json, 201);
        });

        api.MapPatch("/service/tickets/{id:int}/notes/{noteId:int}", async (int id, int noteId, HttpContext context) =>
        {
            var body = await Body(context) as JsonArray
                ?? throw new ConnectWiseSandboxError(400, "InvalidObject", "A PATCH body is a JSON Patch array of operations.");
            return Json(state.PatchNote(id, noteId, body).Json);
        });

        api.MapGet("/service/tickets/{id:int}/configurations", (int id, HttpContext context) =>
            WithTicket(state, id, () => ListRows(context, ConfigurationReferences(state, id))));
        api.MapGet("/service/tickets/{id:int}/configurations/count", (int id, HttpContext context) =>
            WithTicket(state, id, () => CountRows(context, ConfigurationReferences(state, id))));
        api.MapPost("/service/tickets/{id:int}/configurations", async (int id, HttpContext context) =>
        {
            var body = await Body(context) as JsonObject;
            var configurationId = body?["id"] is JsonValue v && v.TryGetValue<int>(out var c) ? c
                : throw ConnectWiseSandboxError.Invalid("configurationReference", "Required", "The field id is required.", "id");
            state.AttachConfiguration(id, configurationId);
            return Json(ConfigurationReferences(state, id).First(r => r.Id == configurationId).Json, 201);
        });

        api.Map("/{**rest}", () => Error(404, "ConnectWiseApi", "The endpoint does not exist."));
        return app;
    }

    private static void MapTable(RouteGroupBuilder api, string path, ConnectWiseSandboxState state, Func<ConnectWiseSandboxState, SandboxTable> table)
    {
        api.MapGet(path, (HttpContext context) => List(context, state, table, null));
        api.MapGet(path + "/count", (HttpContext context) => Count(context, state, table, null));
        api.MapGet(path + "/{id:int}", (int id) => One(state, s => table(s).Find(id), $"{Resource(path)} {id} not found"));
    }

    private static string Resource(string path) => path switch
    {
        "/service/tickets" => "Service Ticket",
        "/company/companies" => "Company",
        "/company/configurations" => "Configuration",
        "/system/members" => "Member",
        "/service/priorities" => "Priority",
        "/service/boards" => "Service Board",
        _ => "Record",
    };

    /// <summary>Every API request: recorded, delayed, faulted, authenticated and permission-checked as ConnectWise would.</summary>
    private static async ValueTask<object?> Guard(ConnectWiseSandboxState state, string prefix, EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var request = context.Request;
        var (fault, settings) = state.Faults.Next(request.Method, request.Path + request.QueryString);
        if (settings.LatencyMs > 0)
        {
            await Task.Delay(settings.LatencyMs, context.RequestAborted);
        }

        var current = state.Codebase;
        var codebase = (request.RouteValues["codebase"] as string ?? "") + "/";
        if (!string.Equals(codebase, current, StringComparison.OrdinalIgnoreCase))
        {
            if (!state.RedirectsFrom(codebase))
            {
                return Error(404, "ConnectWiseApi", "The endpoint does not exist.");
            }

            // Cloud ConnectWise answers an old codebase with a 302 to the current one; a client that follows it loses its Authorization header.
            var moved = $"{prefix}/{current}" + request.Path.Value![(prefix.Length + 1 + codebase.Length)..];
            return Results.Redirect($"{request.Scheme}://{request.Host}{request.PathBase}{moved}{request.QueryString}");
        }

        var apiPath = $"{prefix}/{current}apis/3.0/";

        if (await SandboxFaultAnswers.BeforeAsync(context, fault, settings,
            () => Error(500, "ConnectWiseApi", "An error occurred on the server. Please try again later."),
            // ConnectWise's 429 body has "error", not "code", unlike its other errors (Developer Guide, Rate Limiting).
            () => Results.Json(new { error = "ConnectWiseAPI", message = $"Too many requests. Please try again in {settings.RetryAfterSeconds} seconds." }, statusCode: 429)) is { } faulted)
        {
            return faulted;
        }

        if (Authenticate(state, request) is { } refused)
        {
            return refused;
        }

        var resource = request.Path.Value is { } p && p.StartsWith(apiPath, StringComparison.OrdinalIgnoreCase) ? p[apiPath.Length..] : "";
        if (state.IsDenied(resource))
        {
            return Error(403, "Security", "You do not have security permission to perform this action.");
        }

        object? result;
        try
        {
            result = await next(invocation);
        }
        catch (ConnectWiseSandboxError e)
        {
            return Error(e.Status, e.Code, e.Message, e.Errors);
        }
        catch (ConnectWiseConditionException e)
        {
            return Error(400, "InvalidObject", e.Message);
        }

        return await SandboxFaultAnswers.AfterAsync(context, fault, settings, result);
    }


    private static IResult? Authenticate(ConnectWiseSandboxState state, HttpRequest request)
    {
        var o = state.Options;
        var header = request.Headers.Authorization.ToString();
        string? decoded = null;
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                decoded = null;
            }
        }

        // ConnectWise API keys: Basic base64("{companyId}+{publicKey}:{privateKey}"), the company id case-insensitive.
        var plus = decoded?.IndexOf('+', StringComparison.Ordinal) ?? -1;
        var colon = decoded?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        var valid = decoded is not null && plus > 0 && colon > plus
            && string.Equals(decoded[..plus], o.CompanyId, StringComparison.OrdinalIgnoreCase)
            && decoded[(plus + 1)..colon] == o.PublicKey
            && decoded[(colon + 1)..] == o.PrivateKey;
        if (!valid)
        {
            return Error(401, "Unauthorized", "Cookie or Basic Authentication credentials were not provided or are not valid.");
        }

        var clientId = request.Headers["clientId"].ToString();
        if (string.IsNullOrWhiteSpace(clientId) || (!string.IsNullOrEmpty(o.ClientId) && clientId != o.ClientId))
        {
            return Error(401, "Unauthorized", "A valid clientId header is required; see developer.connectwise.com/ClientID.");
        }

        return null;
    }

    private static IResult WithBoard(ConnectWiseSandboxState state, int boardId, Func<IResult> then) =>
        state.Read(() => state.Boards.Find(boardId)) is null ? Error(404, "NotFound", $"Service Board {boardId} not found") : then();

    private static IResult WithTicket(ConnectWiseSandboxState state, int ticketId, Func<IResult> then) =>
        state.Read(() => state.Tickets.Find(ticketId)) is null ? Error(404, "NotFound", $"Service Ticket {ticketId} not found") : then();

    private static IResult One(ConnectWiseSandboxState state, Func<ConnectWiseSandboxState, SandboxRow?> find, string notFound) =>
        state.Read(() => find(state)) is { } row ? Json(row.Json) : Error(404, "NotFound", notFound);

    private static List<SandboxRow> ConfigurationReferences(ConnectWiseSandboxState state, int ticketId) => state.Read(() =>
        state.TicketConfigurationIds(ticketId).Select(id => state.Configurations.Find(id)!).Select(c =>
        {
            var name = c.Node()["name"]?.GetValue<string>() ?? "";
            var node = new JsonObject { ["id"] = c.Id, ["deviceIdentifier"] = name, ["_info"] = new JsonObject { ["lastUpdated"] = ConnectWiseSandboxState.Iso(c.LastUpdated) } };
            return new SandboxRow(c.Id, ticketId, c.DateEntered, ConnectWiseSandboxState.Serialize(node)) { LastUpdated = c.LastUpdated };
        }).ToList());

    private static IResult List(HttpContext context, ConnectWiseSandboxState state, Func<ConnectWiseSandboxState, SandboxTable> table, Func<SandboxRow, bool>? scope) =>
        state.Read(() => ConnectWiseSandboxPaging.Page(context, scope is null ? table(state).Rows : table(state).Rows.Where(scope)));

    private static IResult ListRows(HttpContext context, IEnumerable<SandboxRow> rows) => ConnectWiseSandboxPaging.Page(context, rows);

    private static IResult Count(HttpContext context, ConnectWiseSandboxState state, Func<ConnectWiseSandboxState, SandboxTable> table, Func<SandboxRow, bool>? scope) =>
        state.Read(() => CountRows(context, scope is null ? table(state).Rows : table(state).Rows.Where(scope)));

    private static IResult CountRows(HttpContext context, IEnumerable<SandboxRow> rows) =>
        Results.Json(new { count = ConnectWiseSandboxPaging.Filter(rows, context.Request.Query["conditions"]).Count() });

    internal static IResult Json(byte[] json, int status = 200) => new RawJson(json, status);

    internal static IResult Error(int status, string code, string message, IReadOnlyList<(string Code, string Message, string Resource, string Field)>? errors = null)
    {
        var body = new JsonObject { ["code"] = code, ["message"] = message };
        if (errors is { Count: > 0 })
        {
            body["errors"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject
            {
                ["code"] = e.Code,
                ["message"] = e.Message,
                ["resource"] = e.Resource,
                ["field"] = e.Field,
            }).ToArray());
        }

        return new RawJson(JsonSerializer.SerializeToUtf8Bytes(body), status);
    }

    private static async Task<JsonNode?> Body(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            throw new ConnectWiseSandboxError(400, "InvalidObject", "The request body is not valid JSON.");
        }
    }

    internal static int? Int(StringValues value) =>
        int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private sealed class RawJson(byte[] json, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            return httpContext.Response.Body.WriteAsync(json).AsTask();
        }
    }
}
