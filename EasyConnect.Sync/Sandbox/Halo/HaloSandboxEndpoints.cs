using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>The simulated HaloPSA API: its registration and its endpoints.</summary>
public static class HaloSandboxEndpoints
{
    /// <summary>Registers <see cref="HaloSandboxState"/> (a singleton seeded from <see cref="HaloSandboxOptions"/>).</summary>
    public static IServiceCollection AddEasyConnectHaloSandbox(this IServiceCollection services, Action<HaloSandboxOptions>? configure = null)
        => services.AddSandboxState(HaloSandboxOptions.SectionName, configure, (options, time) => new HaloSandboxState(options, time));

    /// <summary>
    /// Serves the sandbox under <paramref name="prefix"/>: the auth server at <c>auth/token</c>, the resource server under <c>api/</c>,
    /// and <c>_admin/faults</c> and <c>_admin/requests</c> as the other sandboxes do.
    /// </summary>
    public static IEndpointRouteBuilder MapHaloSandbox(this IEndpointRouteBuilder app, string prefix = "/sandbox/halo")
    {
        ArgumentNullException.ThrowIfNull(app);
        var state = app.ServiceProvider.GetService<HaloSandboxState>()
            ?? throw new InvalidOperationException("Call services.AddEasyConnectHaloSandbox() before MapHaloSandbox().");
        prefix = "/" + prefix.Trim('/');

        app.MapPost(prefix + "/auth/token", async Task<IResult> (HttpContext context) => await Token(state, context));

        var admin = app.MapGroup(prefix + "/_admin");
        admin.MapGet("/faults", () => Results.Json(state.Faults.Faults));
        admin.MapPut("/faults", (SandboxFaults faults) =>
        {
            state.Faults.Faults = faults;
            return Results.Json(state.Faults.Faults);
        });
        admin.MapGet("/requests", () => Results.Json(new { received = state.Faults.RequestsReceived, inWindow = state.RequestsInWindow, throttled = state.Throttled }));
        admin.MapPost("/requests/reset", () =>
        {
            state.Faults.ResetRequests();
            return Results.NoContent();
        });

        var api = app.MapGroup(prefix + "/api");
        api.AddEndpointFilter(async (invocation, next) => await Guard(state, invocation, next));

        api.MapGet("/Tickets", (HttpContext c) => Wrapped(state, c, "tickets", HaloSandboxState.Tickets, HaloSandboxLists.TicketFilter(c.Request.Query), state.PresentTicket));
        api.MapGet("/Tickets/{id:long}", (long id) =>
            state.One(HaloSandboxState.Tickets, id) is { } t && HaloSandboxState.Bool(t["deleted"]) != true ? Results.Json(state.PresentTicket(t)) : NotFound("Ticket", id));
        api.MapPost("/Tickets", async Task<IResult> (HttpContext c) => Written(c, await Array(c), body => state.PresentTicket(state.UpsertTicket(body, Agent(c)))));
        // Halo's DELETE takes an optional reason; the ticket stays, marked deleted.
        api.MapDelete("/Tickets/{id:long}", (long id) =>
        {
            state.DeleteTicket(id);
            return Results.Ok();
        });

        api.MapGet("/Actions", (HttpContext c) => Wrapped(state, c, "actions", HaloSandboxState.Actions, HaloSandboxLists.ActionFilter(c.Request.Query), a => Html(a, c)));
        api.MapGet("/Actions/{id:long}", (long id, HttpContext c) =>
            state.One(HaloSandboxState.Actions, id) is { } a ? Results.Json(Html(a, c)) : NotFound("Action", id));
        api.MapPost("/Actions", async Task<IResult> (HttpContext c) => Written(c, await Array(c), body => state.UpsertAction(body, Agent(c))));

        api.MapGet("/Agent", (HttpContext c) => Results.Json(Ordered(state, c, HaloSandboxState.Agents, HaloSandboxLists.AgentFilter(c.Request.Query))));
        api.MapGet("/Agent/me", (HttpContext c) => Results.Json(state.One(HaloSandboxState.Agents, Agent(c))));
        api.MapGet("/Agent/{id:long}", (long id) => state.One(HaloSandboxState.Agents, id) is { } a ? Results.Json(a) : NotFound("Agent", id));

        api.MapGet("/Client", (HttpContext c) => Wrapped(state, c, "clients", HaloSandboxState.Clients, HaloSandboxLists.ClientFilter(c.Request.Query), r => r));
        api.MapGet("/Client/{id:long}", (long id) => state.One(HaloSandboxState.Clients, id) is { } r ? Results.Json(r) : NotFound("Client", id));

        api.MapGet("/Site", (HttpContext c) => Wrapped(state, c, "sites", HaloSandboxState.Sites, HaloSandboxLists.SiteFilter(c.Request.Query), r => r));
        api.MapGet("/Site/{id:long}", (long id) => state.One(HaloSandboxState.Sites, id) is { } r ? Results.Json(r) : NotFound("Site", id));

        api.MapGet("/Asset", (HttpContext c) => Wrapped(state, c, "assets", HaloSandboxState.Assets, HaloSandboxLists.AssetFilter(c.Request.Query), r => r));
        api.MapGet("/Asset/{id:long}", (long id) => state.One(HaloSandboxState.Assets, id) is { } r ? Results.Json(r) : NotFound("Asset", id));

        foreach (var kind in new[] { HaloSandboxState.Agents, HaloSandboxState.Clients, HaloSandboxState.Assets, HaloSandboxState.Teams, HaloSandboxState.Statuses, HaloSandboxState.Priorities })
        {
            api.MapDelete("/" + kind + "/{id:long}", (long id) =>
            {
                state.Delete(kind, id);
                return Results.Ok();
            });
        }

        api.MapGet("/Priority", (long? slaid) => Results.Json(state.Listed(HaloSandboxState.Priorities, p => slaid is null || HaloSandboxState.Long(p["slaid"]) == slaid)));
        api.MapGet("/SLA", () => Results.Json(state.SlaList()));
        api.MapGet("/Status", (bool? excludeclosed) => Results.Json(state.Listed(HaloSandboxState.Statuses, s => excludeclosed != true || HaloSandboxState.Long(s["type"]) != 1)
            .OrderBy(s => HaloSandboxState.Long(s["sequence"])).ToList()));
        api.MapGet("/Team", (string? includedisabled) => Results.Json(state.Listed(HaloSandboxState.Teams,
            t => HaloSandboxState.Bool(t["inactive"]) != true || string.Equals(includedisabled, "true", StringComparison.OrdinalIgnoreCase))));
        return app;
    }

    /// <summary>Every API request: faulted, authenticated by its bearer token, held to the token's scope, throttled and delayed as Halo would.</summary>
    private static async ValueTask<object?> Guard(HaloSandboxState state, EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var request = context.Request;
        var (fault, settings) = state.Faults.Next(request.Method, request.Path + request.QueryString + await WriteKind(request));
        var header = request.Headers.Authorization.ToString();
        if (state.Authenticate(header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null) is not { } caller)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.StatusCode(401);
        }

        if (!Allowed(caller.Scope, request))
        {
            return Error(403, "The application's scope does not allow this request.");
        }

        if (state.CountRequest() is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Error(429, $"Rate Limit Reached: {state.Options.RateLimit} requests per rolling {state.Options.RateWindow.TotalMinutes:0.##} minutes.");
        }

        context.Items[AgentKey] = caller.AgentId;
        if (settings.LatencyMs > 0)
        {
            await Task.Delay(settings.LatencyMs, context.RequestAborted);
        }

        if (await SandboxFaultAnswers.BeforeAsync(context, fault, settings, () => Error(500, "An error has occurred."), () => Error(429, "Rate Limit Reached")) is { } faulted)
        {
            return faulted;
        }

        object? result;
        try
        {
            result = await next(invocation);
        }
        catch (HaloSandboxError e)
        {
            return Error(e.Status, e.Message);
        }

        return await SandboxFaultAnswers.AfterAsync(context, fault, settings, result);
    }

    private const string AgentKey = "halo-agent";

    /// <summary>The fragment the request log gives a POST of tickets or actions: <c>#create</c> or <c>#update</c>, as one POST does both.</summary>
    public const string CreateMark = "#create", UpdateMark = "#update";

    // Creates and updates share one POST; peeking at the body lets a fault be aimed at one of them and the log tell them apart.
    private static async Task<string> WriteKind(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return "";
        }

        request.EnableBuffering();
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, HaloSandboxState.NodeOptions, cancellationToken: request.HttpContext.RequestAborted);
            return node is JsonArray items && items.Any(i => HaloSandboxState.Long(i?["id"]) is > 0) ? UpdateMark : CreateMark;
        }
        catch (JsonException)
        {
            return CreateMark;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static long Agent(HttpContext context) => (long)context.Items[AgentKey]!;

    // Halo's granular scopes: read:x reads, edit:x also writes; actions belong to tickets, clients are customers.
    private static bool Allowed(string scope, HttpRequest request)
    {
        var scopes = scope.Split(' ');
        if (scopes.Contains("all"))
        {
            return true;
        }

        var segment = request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries) is var parts && System.Array.FindIndex(parts, p => p == "api") is var at and >= 0 && at + 1 < parts.Length
            ? parts[at + 1].ToLowerInvariant()
            : "";
        var area = segment switch { "tickets" or "actions" => "tickets", "client" or "site" => "customers", "asset" => "assets", _ => null };
        if (area is null)
        {
            return true;
        }

        return scopes.Contains("edit:" + area) || (HttpMethods.IsGet(request.Method) && scopes.Contains("read:" + area));
    }

    private static async Task<IResult> Token(HaloSandboxState state, HttpContext context)
    {
        var (fault, settings) = state.Faults.Next(context.Request.Method, context.Request.Path + context.Request.QueryString);
        if (await SandboxFaultAnswers.BeforeAsync(context, fault, settings, () => Error(500, "An error has occurred."), () => Error(429, "Rate Limit Reached")) is { } faulted)
        {
            return faulted;
        }

        if (!context.Request.HasFormContentType)
        {
            return Results.Json(new { error = "invalid_request", error_description = "The token request must be form-encoded." }, statusCode: 400);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        try
        {
            var token = state.IssueToken(context.Request.Query["tenant"].FirstOrDefault(), form["grant_type"].FirstOrDefault(),
                form["client_id"].FirstOrDefault(), form["client_secret"].FirstOrDefault(), form["scope"].FirstOrDefault());
            return Results.Json(new JsonObject
            {
                ["access_token"] = token.AccessToken,
                ["token_type"] = "Bearer",
                ["expires_in"] = token.ExpiresIn,
                ["scope"] = token.Scope,
            });
        }
        catch (HaloTokenError e)
        {
            var body = new JsonObject { ["error"] = e.Error };
            if (e.Description is not null)
            {
                body["error_description"] = e.Description;
            }

            return Results.Json(body, statusCode: 400);
        }
    }

    // GET lists of tickets, actions, clients and assets answer {record_count, <name>: [...]}, with page_no and page_size when paged.
    private static IResult Wrapped(HaloSandboxState state, HttpContext context, string name, string kind, Func<JsonObject, bool> filter, Func<JsonObject, JsonObject> present)
    {
        var rows = HaloSandboxLists.Order(state.Listed(kind, filter), context.Request.Query);
        var (page, pageNo, pageSize) = HaloSandboxLists.Page(rows, context.Request.Query);
        var answer = new JsonObject();
        if (pageNo is not null)
        {
            answer["page_no"] = pageNo;
            answer["page_size"] = pageSize;
        }

        answer["record_count"] = rows.Count;
        answer[name] = new JsonArray([.. page.Select(r => (JsonNode)present(r))]);
        if (pageNo is { } number && state.AfterPage is { } afterPage)
        {
            afterPage(new HaloSandboxPage(kind, number, pageSize!.Value, HaloSandboxLists.Flag(context.Request.Query, "orderdesc"), rows.Count,
                [.. page.Select(r => HaloSandboxState.Long(r["id"])!.Value)]));
        }

        return Results.Json(answer);
    }

    // Agents, statuses, priorities and teams come back as a bare array.
    private static List<JsonObject> Ordered(HaloSandboxState state, HttpContext context, string kind, Func<JsonObject, bool> filter) =>
        HaloSandboxLists.Order(state.Listed(kind, filter), context.Request.Query);

    // An action's note_html comes back only when includehtmlnote asks for it.
    private static JsonObject Html(JsonObject action, HttpContext context)
    {
        if (!HaloSandboxLists.Flag(context.Request.Query, "includehtmlnote"))
        {
            action.Remove("note_html");
        }

        return action;
    }

    // Halo answers a POST with the first record written, or every one of them with returnall=true.
    private static IResult Written(HttpContext context, JsonArray items, Func<JsonObject, JsonObject> write)
    {
        var written = new JsonArray();
        foreach (var item in items)
        {
            written.Add(write(item as JsonObject ?? throw new HaloSandboxError(400, "Each item must be an object.")));
        }

        return HaloSandboxLists.Flag(context.Request.Query, "returnall") ? Results.Json(written) : Results.Json(written.FirstOrDefault());
    }

    private static async Task<JsonArray> Array(HttpContext context)
    {
        try
        {
            var node = await JsonNode.ParseAsync(context.Request.Body, HaloSandboxState.NodeOptions, cancellationToken: context.RequestAborted);
            return node as JsonArray is { Count: > 0 } array ? array : throw new HaloSandboxError(400, "The body must be a non-empty array.");
        }
        catch (JsonException)
        {
            throw new HaloSandboxError(400, "The body is not valid JSON.");
        }
    }


    private static IResult NotFound(string what, long id) => Error(404, $"{what} {id} was not found.");

    // Halo answers a refused request with its message as a JSON string.
    internal static IResult Error(int status, string message) => Results.Json(message, (JsonSerializerOptions?)null, statusCode: status);
}
