using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EasyConnect.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EasyConnect.Tests.Sync.Psa.Halo;

/// <summary>
/// A small loopback HaloPSA for the client's tests until the Halo sandbox lands: the auth server's client-credentials grant at
/// <c>/auth/token</c> (with <c>?tenant=</c>), bearer tokens on <c>/api</c>, offset paging with <c>pageinate</c>/<c>page_size</c>/<c>page_no</c>
/// and <c>record_count</c>, <c>order</c>/<c>orderdesc</c>, <c>lastupdatefromdate</c>, creates and updates as POSTed arrays, actions with
/// <c>hiddenfromuser</c> and <c>excludesys</c>. It answers the shapes the Halo API documents; tests add faults through <see cref="Override"/>
/// and change rows between pages through <see cref="BeforePage"/>.
/// </summary>
internal sealed class HaloStub : IAsyncDisposable
{
    public const string ClientId = "ec-client-id", ClientSecret = "sEcReT-halo-77f1", Tenant = "acme", ApiAgentId = "1";
    private readonly ConcurrentQueue<Recorded> _requests = new();
    private readonly HashSet<string> _tokens = [];
    private readonly object _lock = new();
    private int _tokenCount;
    private long _nextId = 1000;

    private HaloStub()
    {
    }

    public SandboxServer Server { get; private set; } = default!;

    public string Address => Server.BaseAddress.AbsoluteUri.TrimEnd('/');

    public IReadOnlyList<Recorded> Requests => [.. _requests];

    public IEnumerable<Recorded> Api => Requests.Where(r => r.Path.StartsWith("/api/", StringComparison.Ordinal));

    public SortedDictionary<long, JsonObject> Tickets { get; } = [];

    public SortedDictionary<long, JsonObject> Clients { get; } = [];

    public SortedDictionary<long, JsonObject> Assets { get; } = [];

    /// <summary>Sites by id (a client's SLA is its main site's).</summary>
    public SortedDictionary<long, JsonObject> Sites { get; } = [];

    public List<JsonObject> Actions { get; } = [];

    public JsonArray Agents { get; set; } = JsonNode.Parse("""
        [{"id":1,"name":"EasyConnect API","email":"","isapiagent":true},
         {"id":5,"name":"Ava Nguyen","firstname":"Ava","surname":"Nguyen","email":"ava.nguyen@msp.example","isdisabled":"False","unknown_field":{"x":1}},
         {"id":6,"name":"Liam Smith","firstname":"Liam","surname":"Smith","email":"liam.smith@msp.example","isdisabled":"True"}]
        """)!.AsArray();

    public JsonArray Teams { get; set; } = JsonNode.Parse("""[{"id":3,"name":"Service Desk","inactive":false},{"id":4,"name":"Projects","inactive":"true"}]""")!.AsArray();

    public JsonArray Statuses { get; set; } = JsonNode.Parse("""[{"id":1,"name":"New","sequence":1},{"id":2,"name":"In Progress","sequence":"2"},{"id":9,"name":"Closed","sequence":9}]""")!.AsArray();

    public JsonArray Priorities { get; set; } = JsonNode.Parse("""
        [{"id":"1b8e3a1c-0000-0000-0000-000000000001","slaid":1,"priorityid":1,"name":"Critical"},
         {"id":"1b8e3a1c-0000-0000-0000-000000000002","slaid":1,"priorityid":4,"name":"Low"},
         {"id":"1b8e3a1c-0000-0000-0000-000000000003","slaid":2,"priorityid":1,"name":"Gold Critical","ishidden":"False"}]
        """)!.AsArray();

    /// <summary>Seconds a token lives.</summary>
    public int ExpiresIn { get; set; } = 3600;

    /// <summary>The scopes the token names.</summary>
    public string Scope { get; set; } = "all";

    /// <summary>Tokens issued so far.</summary>
    public int TokensIssued => Volatile.Read(ref _tokenCount);

    /// <summary>An answer that replaces the stub's own for a request, or null to let the stub answer.</summary>
    public Func<Recorded, (int Status, string Body)?>? Override { get; set; }

    /// <summary>Runs before a paged list answers page <c>page_no</c> of a path: how a test changes rows during a read.</summary>
    public Action<string, int>? BeforePage { get; set; }

    public static async Task<HaloStub> StartAsync()
    {
        var stub = new HaloStub();
        stub.Server = await SandboxServer.StartAsync(_ => { }, app => app.Run(stub.HandleAsync));
        return stub;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>Halo no longer accepts the tokens it issued (revoked, or expired early).</summary>
    public void RevokeTokens()
    {
        lock (_lock)
        {
            _tokens.Clear();
        }
    }

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void AddTicket(long id, string summary, string stamp = "2026-03-01T10:00:00", string? reference = null)
    {
        lock (_lock)
        {
            Tickets[id] = new JsonObject
            {
                ["id"] = id, ["summary"] = summary, ["details"] = $"<p>Details of {summary}</p>", ["status_id"] = 1, ["priority_id"] = 4, ["sla_id"] = 1,
                ["client_id"] = 12, ["team"] = "Service Desk", ["client_reference"] = reference, ["last_update"] = stamp, ["datecreated"] = "2026-02-01T09:00:00",
            };
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new Recorded(request.Method, request.Path.Value ?? "", query, headers, body);
        var (status, text) = Override?.Invoke(recorded) ?? Route(recorded);
        recorded.Status = status;
        _requests.Enqueue(recorded);
        context.Response.StatusCode = status;
        if (text.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(text, context.RequestAborted);
        }
    }

    private (int, string) Route(Recorded r)
    {
        if (r.Path == "/auth/token")
        {
            return Token(r);
        }

        lock (_lock)
        {
            if (!r.Headers.TryGetValue("Authorization", out var auth) || !auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.Contains(auth[7..]))
            {
                return (401, "");
            }
        }

        var path = r.Path["/api".Length..];
        lock (_lock)
        {
            return (r.Method, path) switch
            {
                ("GET", "/Tickets") => List(r, "tickets", Tickets, t => !string.IsNullOrEmpty(r.Query.GetValueOrDefault("client_ref"))
                    ? (t["client_reference"]?.GetValue<string>() ?? "").StartsWith(r.Query["client_ref"], StringComparison.OrdinalIgnoreCase)
                    : true),
                ("GET", "/Client") => List(r, "clients", Clients, c => Flag(r, "includeinactive") || c["inactive"]?.ToString() != "true"),
                ("GET", "/Site") => List(r, "sites", Sites, s => Flag(r, "includeinactive") || s["inactive"]?.ToString() != "true"),
                ("GET", "/Asset") => List(r, "assets", Assets, a => Flag(r, "includeinactive") || a["inactive"]?.ToString() != "true"),
                ("POST", "/Tickets") => PostTickets(r),
                ("GET", "/Actions") => (200, new JsonObject
                {
                    ["record_count"] = ActionsOf(r).Count,
                    ["actions"] = new JsonArray([.. ActionsOf(r).Select(a => (JsonNode)a.DeepClone())]),
                }.ToJsonString()),
                ("POST", "/Actions") => PostActions(r),
                ("GET", "/Agent") => (200, Agents.ToJsonString()),
                ("GET", "/Agent/me") => (200, Agents[0]!.ToJsonString()),
                ("GET", "/Team") => (200, Teams.ToJsonString()),
                ("GET", "/Status") => (200, Statuses.ToJsonString()),
                ("GET", "/Priority") => (200, Priorities.ToJsonString()),
                ("GET", _) when path.StartsWith("/Tickets/", StringComparison.Ordinal) =>
                    long.TryParse(path["/Tickets/".Length..], out var id) && Tickets.TryGetValue(id, out var ticket) ? (200, ticket.ToJsonString()) : (404, "\"Ticket not found\""),
                _ => (404, ""),
            };
        }
    }

    private (int, string) Token(Recorded r)
    {
        var form = r.Body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""));
        if (r.Method != "POST" || !r.Headers.GetValueOrDefault("Content-Type", "").StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))
        {
            return (400, """{"error":"invalid_request"}""");
        }

        // A hosted instance's auth server knows its tenants by the query, not the form.
        if (r.Query.GetValueOrDefault("tenant") != Tenant)
        {
            return (400, """{"error":"invalid_client","error_description":"Unknown tenant"}""");
        }

        if (form.GetValueOrDefault("grant_type") != "client_credentials" || form.GetValueOrDefault("client_id") != ClientId || form.GetValueOrDefault("client_secret") != ClientSecret)
        {
            return (400, """{"error":"invalid_client"}""");
        }

        var token = $"token-{Interlocked.Increment(ref _tokenCount)}";
        lock (_lock)
        {
            _tokens.Add(token);
        }

        return (200, JsonSerializer.Serialize(new { access_token = token, token_type = "Bearer", expires_in = ExpiresIn, scope = Scope }));
    }

    private (int, string) List(Recorded r, string rows, SortedDictionary<long, JsonObject> table, Func<JsonObject, bool> where)
    {
        var page = int.TryParse(r.Query.GetValueOrDefault("page_no"), out var p) ? p : 1;
        if (Flag(r, "pageinate"))
        {
            Monitor.Exit(_lock);
            try
            {
                BeforePage?.Invoke(r.Path, page);
            }
            finally
            {
                Monitor.Enter(_lock);
            }
        }

        var from = r.Query.TryGetValue("lastupdatefromdate", out var f) && f.Length > 0
            ? DateTimeOffset.Parse(f, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : (DateTimeOffset?)null;
        var matching = table.Values.Where(where)
            .Where(t => from is null || DateTimeOffset.Parse(t["last_update"]?.ToString() ?? "2000-01-01", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) >= from)
            .ToList();
        // Halo orders by the field named; "orderdesc" turns it round.
        if (r.Query.GetValueOrDefault("order") == "id")
        {
            matching = [.. matching.OrderBy(t => long.Parse(t["id"]!.ToString(), CultureInfo.InvariantCulture))];
            if (Flag(r, "orderdesc"))
            {
                matching.Reverse();
            }
        }

        var size = int.TryParse(r.Query.GetValueOrDefault("page_size"), out var s) ? s : 50;
        if (size > 100)
        {
            return (400, "\"page_size must not exceed 100\"");
        }

        var slice = Flag(r, "pageinate") ? matching.Skip((page - 1) * size).Take(size) : matching;
        return (200, new JsonObject
        {
            ["record_count"] = matching.Count,
            [rows] = new JsonArray([.. slice.Select(t => (JsonNode)t.DeepClone())]),
        }.ToJsonString());
    }

    private (int, string) PostTickets(Recorded r)
    {
        var posted = JsonNode.Parse(r.Body)!.AsArray();
        JsonObject? last = null;
        foreach (var item in posted.Select(i => i!.AsObject()))
        {
            if (item["summary"] is JsonValue summary && summary.GetValue<string>().Length == 0)
            {
                return (400, """{"errors":{"summary":["Summary is required"]}}""");
            }

            var stamp = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture);
            if (item["id"] is { } idNode)
            {
                var id = idNode.GetValue<long>();
                if (!Tickets.TryGetValue(id, out var ticket))
                {
                    return (404, "\"Ticket not found\"");
                }

                foreach (var (key, value) in item)
                {
                    ticket[key] = value?.DeepClone();
                }

                Wrap(ticket);
                ticket["last_update"] = stamp;
                last = ticket;
            }
            else
            {
                var id = NextId();
                var ticket = (JsonObject)item.DeepClone();
                ticket["id"] = id;
                ticket["sla_id"] ??= 1;
                ticket["datecreated"] = stamp;
                ticket["last_update"] = stamp;
                Wrap(ticket);
                Tickets[id] = ticket;
                last = ticket;
            }
        }

        return (200, last!.ToJsonString());
    }

    // Halo keeps details as HTML and answers both fields; it wraps what it is given in a paragraph.
    private static void Wrap(JsonObject ticket)
    {
        if (ticket["details_html"] is JsonValue html)
        {
            ticket["details"] = $"<p>{html.GetValue<string>()}</p>";
            ticket.Remove("details_html");
        }
    }

    private (int, string) PostActions(Recorded r)
    {
        var posted = JsonNode.Parse(r.Body)!.AsArray();
        JsonObject? last = null;
        foreach (var item in posted.Select(i => i!.AsObject()))
        {
            var action = (JsonObject)item.DeepClone();
            action["id"] = NextId();
            action["who_agentid"] ??= long.Parse(ApiAgentId, CultureInfo.InvariantCulture);
            action["datetime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture);
            if (action["note_html"] is JsonValue html)
            {
                action["note_html"] = $"<div>{html.GetValue<string>()}</div>";
            }

            Actions.Add(action);
            last = action;
        }

        return (200, last!.ToJsonString());
    }

    private List<JsonObject> ActionsOf(Recorded r)
    {
        var ticket = long.Parse(r.Query["ticket_id"], CultureInfo.InvariantCulture);
        return [.. Actions.Where(a => a["ticket_id"]!.GetValue<long>() == ticket && !(Flag(r, "excludesys") && a["_system"] is not null))];
    }

    private static bool Flag(Recorded r, string name) => bool.TryParse(r.Query.GetValueOrDefault(name), out var b) && b;

    public sealed record Recorded(string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public int Status { get; set; }
    }
}
