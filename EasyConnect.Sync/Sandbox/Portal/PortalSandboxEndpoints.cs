using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Sync.Sandbox.Portal;

/// <summary>The simulated Support Portal (a Zendesk account): its registration and its endpoints.</summary>
public static partial class PortalSandboxEndpoints
{
    private const int MaxExportPage = 1000;
    private const int MaxCommentPage = 100;
    private static readonly object UserKey = new();

    /// <summary>Registers <see cref="PortalSandboxState"/> (a singleton seeded from <see cref="PortalSandboxOptions"/>).</summary>
    public static IServiceCollection AddEasyConnectPortalSandbox(this IServiceCollection services, Action<PortalSandboxOptions>? configure = null)
        => services.AddSandboxState(
            PortalSandboxOptions.SectionName, configure, (options, time) => new PortalSandboxState(options, time));

    /// <summary>
    /// Serves the sandbox under <paramref name="prefix"/>: the Zendesk API subset under <c>api/v2/</c>, and under <c>_sandbox/</c>
    /// a page with forms to add tickets and comments, <c>POST tickets</c>, <c>POST tickets/{id}</c> (change), <c>POST tickets/{id}/comments</c>
    /// (JSON or form), <c>GET/PUT faults</c> (<see cref="SandboxFaults"/>) and <c>GET requests</c>. Needs <see cref="AddEasyConnectPortalSandbox"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapPortalSandbox(this IEndpointRouteBuilder app, string prefix = "/sandbox/portal")
    {
        ArgumentNullException.ThrowIfNull(app);
        var state = app.ServiceProvider.GetService<PortalSandboxState>()
            ?? throw new InvalidOperationException("Call services.AddEasyConnectPortalSandbox() before MapPortalSandbox().");
        prefix = "/" + prefix.Trim('/');
        MapAdmin(app.MapGroup(prefix + "/_sandbox"), state, prefix);

        var api = app.MapGroup(prefix + "/api/v2");
        api.AddEndpointFilter(async (invocation, next) => await Guard(state, invocation, next));

        api.MapGet("/users/me.json", (HttpContext context) => Json(new JsonObject { ["user"] = UserJson(context, Caller(context)) }));
        api.MapGet("/users/{id:long}.json", (long id, HttpContext context) =>
            Json(new JsonObject { ["user"] = UserJson(context, state.FindUser(id) ?? throw PortalSandboxError.NotFound()) }));
        api.MapGet("/users/show_many.json", (HttpContext context) => ShowManyUsers(context, state));
        api.MapGet("/users/search.json", (HttpContext context) =>
        {
            var query = context.Request.Query["query"].ToString().Trim();
            var email = query.StartsWith("email:", StringComparison.OrdinalIgnoreCase) ? query[6..].Trim().Trim('"') : null;
            var users = state.Users.Where(u => email is not null
                ? string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)
                : query.Length > 0 && (u.Email.Contains(query, StringComparison.OrdinalIgnoreCase) || u.Name.Contains(query, StringComparison.OrdinalIgnoreCase)))
                .Take(100).ToList();
            return Json(new JsonObject
            {
                ["users"] = new JsonArray([.. users.Select(u => (JsonNode)UserJson(context, u))]),
                ["next_page"] = null,
                ["previous_page"] = null,
                ["count"] = users.Count,
            });
        });

        api.MapGet("/ticket_fields.json", (HttpContext context) =>
            Json(new JsonObject { ["ticket_fields"] = new JsonArray([.. TicketFields(context, state).Select(f => (JsonNode)f)]), ["next_page"] = null, ["previous_page"] = null, ["count"] = 5 }));
        api.MapGet("/ticket_fields/{id:long}.json", (long id, HttpContext context) =>
            Json(new JsonObject { ["ticket_field"] = TicketFields(context, state).FirstOrDefault(f => f["id"]!.GetValue<long>() == id) ?? throw PortalSandboxError.NotFound() }));

        api.MapGet("/incremental/tickets/cursor.json", (HttpContext context) => Export(context, state));

        api.MapGet("/tickets/{id:long}.json", (long id, HttpContext context) =>
            Json(new JsonObject { ["ticket"] = TicketJson(context, state, state.FindTicket(id) ?? throw PortalSandboxError.NotFound()) }));
        api.MapPut("/tickets/{id:long}.json", async (long id, HttpContext context) =>
        {
            var body = await ReadJson(context);
            var ticket = body?["ticket"] as JsonObject ?? throw new PortalSandboxError(400, "InvalidEndpoint", "ticket parameter is missing");
            var update = state.Update(id, ReadChange(ticket, state), Caller(context).Id);
            return Json(new JsonObject { ["ticket"] = TicketJson(context, state, update.Ticket), ["audit"] = AuditJson(state, update, Caller(context)) });
        });
        api.MapGet("/tickets/{id:long}/comments.json", (long id, HttpContext context) => CommentsPage(context, state, id));

        api.Map("/{**rest}", () => Error(404, "InvalidEndpoint", "Not found"));
        return app;
    }

    /// <summary>Every API request: recorded, delayed, faulted, authenticated and permission-checked as Zendesk would.</summary>
    private static async ValueTask<object?> Guard(PortalSandboxState state, EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var request = context.Request;
        var (fault, settings) = state.Faults.Next(request.Method, request.Path + request.QueryString);
        if (settings.LatencyMs > 0)
        {
            await Task.Delay(settings.LatencyMs, context.RequestAborted);
        }

        if (await SandboxFaultAnswers.BeforeAsync(context, fault, settings,
            () => Error(500, "InternalServerError", "Something went wrong. Please try again."), () => Throttled(context, settings.RetryAfterSeconds)) is { } faulted)
        {
            return faulted;
        }

        if (Authenticate(state, request) is not { } caller)
        {
            // Zendesk's refusal of bad credentials has only an error string, no description.
            return Results.Json(new JsonObject { ["error"] = "Couldn't authenticate you" }, statusCode: 401);
        }

        context.Items[UserKey] = caller;
        var path = request.Path.Value ?? "";
        var export = path.Contains("/api/v2/incremental/", StringComparison.Ordinal);
        if ((caller.Role == "end-user" && !path.EndsWith("/users/me.json", StringComparison.Ordinal)) || (export && caller.Role != "admin"))
        {
            return Error(403, "Forbidden", "You do not have access to this page. Please contact the account owner of this help desk for further help.");
        }

        if (export && state.TakeExportSlot() is { } wait)
        {
            // The incremental exports' own limit (10 a minute) answers with its own description.
            return Throttled(context, wait, "Number of allowed incremental export API requests per minute exceeded");
        }

        object? result;
        try
        {
            result = await next(invocation);
        }
        catch (PortalSandboxError e)
        {
            return Error(e.Status, e.Code, e.Message, e.Details);
        }
        catch (JsonException)
        {
            return Error(400, "InvalidJSON", "The request body is not valid JSON.");
        }

        return await SandboxFaultAnswers.AfterAsync(context, fault, settings, result);
    }

    private static IResult Throttled(HttpContext context, int retryAfterSeconds, string description = "Number of allowed API requests per minute exceeded")
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Error(429, "APIRateLimitExceeded", description);
    }


    private static PortalSandboxUser? Authenticate(PortalSandboxState state, HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return string.Equals(header[7..].Trim(), state.Options.OAuthToken, StringComparison.Ordinal) ? state.ApiUser : null;
        }

        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }

        // Zendesk API tokens belong to the account: "{agent email}/token:{token}" signs in as that agent, whoever it is.
        const string marker = "/token:";
        var at = decoded.IndexOf(marker, StringComparison.Ordinal);
        if (at <= 0 || !string.Equals(decoded[(at + marker.Length)..], state.Options.ApiToken, StringComparison.Ordinal))
        {
            return null;
        }

        return state.FindUserByEmail(decoded[..at]) is { Role: "agent" or "admin" } user ? user : null;
    }

    private static PortalSandboxUser Caller(HttpContext context) => (PortalSandboxUser)context.Items[UserKey]!;

    private static void MapAdmin(RouteGroupBuilder admin, PortalSandboxState state, string prefix)
    {
        admin.MapGet("/", (HttpContext context) =>
            Results.Content(AdminPage(prefix, state, context.RequestServices.GetService<IAntiforgery>()?.GetAndStoreTokens(context)), "text/html; charset=utf-8"));
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
        // HttpRequest, not HttpContext: a lambda taking only an HttpContext binds as a RequestDelegate and its result would be dropped.
        admin.MapPost("/tickets", async (HttpRequest request) => await AdminAction(request.HttpContext, f =>
        {
            var ticket = state.AddTicket(f("subject") ?? "", f("description") ?? "", f("cluster_id"), Blank(f("priority")) ?? (f("priority") is null ? "normal" : null),
                Blank(f("status")) ?? "new", Blank(f("requester_email")));
            return (201, new JsonObject { ["id"] = ticket.Id, ["subject"] = ticket.Subject, ["cluster_id"] = ticket.ClusterId });
        }));
        admin.MapPost("/tickets/{id:long}", async (long id, HttpContext context) => await AdminAction(context, f =>
        {
            var ticket = state.UpdateTicket(id, Blank(f("subject")), f("priority"), Blank(f("status")), f("cluster_id"));
            return (200, new JsonObject { ["id"] = ticket.Id, ["priority"] = ticket.Priority, ["status"] = ticket.Status, ["cluster_id"] = ticket.ClusterId });
        }));
        // The page's comment form names its ticket in a field: a form needs no script to choose where it posts.
        admin.MapPost("/comments", async (HttpRequest request) => await AdminAction(request.HttpContext, f =>
        {
            var id = long.TryParse(f("ticket"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticketId) ? ticketId : throw new ArgumentException("Enter the id of a ticket.");
            var comment = state.AddComment(id, f("body") ?? "", Blank(f("author_email")), !string.Equals(f("public"), "false", StringComparison.OrdinalIgnoreCase));
            return (201, new JsonObject { ["id"] = comment.Id, ["ticket_id"] = comment.TicketId, ["public"] = comment.Public });
        }));
        admin.MapPost("/tickets/{id:long}/comments", async (long id, HttpContext context) => await AdminAction(context, f =>
        {
            var comment = state.AddComment(id, f("body") ?? "", Blank(f("author_email")), !string.Equals(f("public"), "false", StringComparison.OrdinalIgnoreCase));
            return (201, new JsonObject { ["id"] = comment.Id, ["ticket_id"] = comment.TicketId, ["public"] = comment.Public });
        }));
    }

    /// <summary>Reads a JSON object or a form, runs the action, and answers JSON (or sends a browser back to the page).</summary>
    private static async Task<IResult> AdminAction(HttpContext context, Func<Func<string, string?>, (int Status, JsonObject Body)> action)
    {
        Func<string, string?> field;
        var isForm = context.Request.HasFormContentType;
        if (isForm)
        {
            // A browser form can be posted from any site: the page's forms carry an antiforgery token, and a post without one is refused.
            if (context.RequestServices.GetService<IAntiforgery>() is { } antiforgery && !await antiforgery.IsRequestValidAsync(context))
            {
                return Error(400, "InvalidToken", "The form has expired or did not come from this page: reload the sandbox page and try again.");
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            field = name => form.TryGetValue(name, out var v) ? v.ToString() : null;
        }
        else
        {
            JsonObject? json;
            try
            {
                json = await ReadJson(context) as JsonObject;
            }
            catch (JsonException)
            {
                return Error(400, "InvalidJSON", "The request body is not valid JSON.");
            }

            field = name => json?[name] is JsonValue v ? v.ToString() : null;
        }

        try
        {
            var (status, body) = action(field);
            return isForm ? Results.Redirect(context.Request.PathBase + context.Request.Path.Value![..(context.Request.Path.Value!.IndexOf("/_sandbox", StringComparison.Ordinal) + 9)] + "/")
                : Results.Json(body, statusCode: status);
        }
        catch (PortalSandboxError e)
        {
            return Error(e.Status, e.Code, e.Message, e.Details);
        }
        catch (ArgumentException e)
        {
            return Error(422, "RecordInvalid", e.Message);
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string AdminPage(string prefix, PortalSandboxState state, AntiforgeryTokenSet? tokens)
    {
        var token = tokens?.RequestToken is { } value ? $"<input type=\"hidden\" name=\"{Html(tokens.FormFieldName)}\" value=\"{Html(value)}\">" : "";
        var rows = new StringBuilder();
        foreach (var t in state.Tickets.OrderByDescending(t => t.UpdatedAt).Take(50))
        {
            rows.Append(CultureInfo.InvariantCulture, $"<tr><td>{t.Id}</td><td>{Html(t.Subject)}</td><td>{t.Priority}</td><td>{t.Status}</td><td>{Html(t.ClusterId ?? "")}</td><td>{Html(t.ExternalId ?? "")}</td><td>{state.Comments(t.Id).Count}</td></tr>");
        }

        var api = prefix + "/_sandbox";
        return $$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portal sandbox</title></head><body>
            <h1>Portal sandbox (Zendesk API at {{Html(prefix)}}/api/v2)</h1>
            <p>Sign in with {{Html(state.Options.AgentEmail)}} and the API token from the configuration; the ClusterID field id is {{state.Options.ClusterIdFieldId}}.</p>
            <h2>Add a ticket</h2>
            <form method="post" action="{{api}}/tickets">{{token}}
            <label>Subject <input name="subject" required></label> <label>Description <input name="description" required></label>
            <label>ClusterID <input name="cluster_id" placeholder="CL-000001"></label>
            <label>Priority <select name="priority"><option></option><option>low</option><option selected>normal</option><option>high</option><option>urgent</option></select></label>
            <label>Requester email <input name="requester_email" type="email"></label> <button>Add ticket</button></form>
            <h2>Add a comment</h2>
            <form method="post" action="{{api}}/comments">{{token}}
            <label>Ticket id <input name="ticket" required></label> <label>Body <input name="body" required></label>
            <label>Author email <input name="author_email" type="email"></label>
            <label>Public <select name="public"><option>true</option><option>false</option></select></label> <button>Add comment</button></form>
            <h2>Latest tickets</h2>
            <table><tr><th>Id</th><th>Subject</th><th>Priority</th><th>Status</th><th>ClusterID</th><th>External id</th><th>Comments</th></tr>{{rows}}</table>
            </body></html>
            """;
    }

    private static async Task<JsonNode?> ReadJson(HttpContext context) =>
        context.Request.ContentLength == 0 ? null : await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);

    private static IResult Json(JsonObject body, int status = 200) => Results.Json(body, statusCode: status);

    private static IResult Error(int status, string error, string description, IReadOnlyDictionary<string, (string Description, string Error)>? details = null)
    {
        var body = new JsonObject { ["error"] = error, ["description"] = description };
        if (details is { Count: > 0 })
        {
            var d = new JsonObject();
            foreach (var (field, (text, code)) in details)
            {
                d[field] = new JsonArray(new JsonObject { ["description"] = text, ["error"] = code });
            }

            body["details"] = d;
        }

        return Results.Json(body, statusCode: status);
    }
}
