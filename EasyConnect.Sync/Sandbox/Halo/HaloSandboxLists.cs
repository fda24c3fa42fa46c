using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>
/// Halo's list queries: the filters EasyConnect's sync uses, <c>order</c>/<c>orderdesc</c>, and offset paging with <c>pageinate</c>,
/// <c>page_size</c> (at most 100) and <c>page_no</c>. A page is cut from the rows as they stand at the time of the request, so a row
/// written between two page requests moves the rows after it from one page to the next, as Halo's own paging does.
/// </summary>
internal static class HaloSandboxLists
{
    public const int MaxPageSize = 100, DefaultPageSize = 50;

    private const long ClosedStatus = 9;

    public static Func<JsonObject, bool> TicketFilter(IQueryCollection q)
    {
        var filters = new List<Func<JsonObject, bool>>();
        if (!Flag(q, "deleted"))
        {
            filters.Add(t => HaloSandboxState.Bool(t["deleted"]) != true);
        }

        AddIdFilter(filters, q, "client_id", "client_id");
        AddIdFilter(filters, q, "site_id", "site_id");
        AddIdFilter(filters, q, "agent_id", "agent_id");
        AddIdFilter(filters, q, "status_id", "status_id");
        AddIdFilter(filters, q, "sla", "sla_id", list: true);
        AddIdFilter(filters, q, "status", "status_id", list: true);
        AddIdFilter(filters, q, "priority", "priority_id", list: true);
        AddIdFilter(filters, q, "ticketids", "id", list: true);
        if (Flag(q, "open_only"))
        {
            filters.Add(t => HaloSandboxState.Long(t["status_id"]) != ClosedStatus);
        }

        if (Flag(q, "closed_only"))
        {
            filters.Add(t => HaloSandboxState.Long(t["status_id"]) == ClosedStatus);
        }

        if (Value(q, "search") is { } search)
        {
            filters.Add(t => Contains(t["summary"], search) || HaloSandboxState.Text(t["id"]) == search);
        }

        if (Value(q, "search_summary") is { } summary)
        {
            filters.Add(t => Contains(t["summary"], summary));
        }

        // The portal ticket id lives in client_reference; client_ref finds it exactly.
        if (Value(q, "client_ref") is { } reference)
        {
            filters.Add(t => HaloSandboxState.Text(t["client_reference"]) == reference);
        }

        if (Long(q, "asset_id") is { } asset)
        {
            filters.Add(t => t["assets"] is JsonArray a && a.Any(x => HaloSandboxState.Long(x?["id"]) == asset));
        }

        if (Value(q, "search_inventory_number") is { } inventory)
        {
            filters.Add(t => t["assets"] is JsonArray a && a.Any(x => Contains(x?["inventory_number"], inventory)));
        }

        AddDateFilter(filters, q, "lastupdatefromdate", "lastupdatetodate", "last_update");
        if (Value(q, "datesearch") is { } dateField)
        {
            // Halo spells the opened date "dateoccured" in this parameter.
            var field = dateField switch { "dateoccured" or "dateoccurred" => "dateoccurred", "datecleared" => "dateclosed", _ => dateField };
            AddDateFilter(filters, q, "startdate", "enddate", field);
        }

        return t => filters.All(f => f(t));
    }

    public static Func<JsonObject, bool> ClientFilter(IQueryCollection q)
    {
        var filters = new List<Func<JsonObject, bool>>();
        AddActiveFilter(filters, q, "inactive");
        AddIdFilter(filters, q, "toplevel_id", "toplevel_id");
        if (Value(q, "search") is { } search)
        {
            filters.Add(c => Contains(c["name"], search));
        }

        AddDateFilter(filters, q, "lastupdatefromdate", "lastupdatetodate", "alastupdate");
        return c => filters.All(f => f(c));
    }

    /// <summary>Sites: by client, active unless <c>includeinactive</c>, changed since <c>lastupdatefromdate</c> (on <c>slastupdate</c>).</summary>
    public static Func<JsonObject, bool> SiteFilter(IQueryCollection q)
    {
        var filters = new List<Func<JsonObject, bool>>();
        AddActiveFilter(filters, q, "inactive");
        AddIdFilter(filters, q, "client_id", "client_id");
        AddDateFilter(filters, q, "lastupdatefromdate", "lastupdatetodate", "slastupdate");
        return s => filters.All(f => f(s));
    }

    public static Func<JsonObject, bool> AssetFilter(IQueryCollection q)
    {
        var filters = new List<Func<JsonObject, bool>>();
        AddActiveFilter(filters, q, "inactive");
        AddIdFilter(filters, q, "client_id", "client_id");
        AddIdFilter(filters, q, "site_id", "site_id");
        AddIdFilter(filters, q, "assettype_id", "assettype_id");
        if (Value(q, "inventory_number") is { } inventory)
        {
            filters.Add(a => string.Equals(HaloSandboxState.Text(a["inventory_number"]), inventory, StringComparison.OrdinalIgnoreCase));
        }

        if (Value(q, "search") is { } search)
        {
            // search matches the inventory number, the key field and searchable custom fields, or only the first with search_inventory_number_only.
            var inventoryOnly = Flag(q, "search_inventory_number_only");
            filters.Add(a => Contains(a["inventory_number"], search) || (!inventoryOnly && (Contains(a["key_field"], search)
                || (a["customfields"] is JsonArray cf && cf.Any(f => HaloSandboxState.Bool(f?["searchable"]) == true && Contains(f?["value"], search))))));
        }

        AddDateFilter(filters, q, "lastupdatefromdate", "lastupdatetodate", "last_modified");
        return a => filters.All(f => f(a));
    }

    public static Func<JsonObject, bool> AgentFilter(IQueryCollection q)
    {
        var filters = new List<Func<JsonObject, bool>>();
        var enabled = Value(q, "includeenabled") is not { } e || bool.TryParse(e, out var en) && en;
        var disabled = Flag(q, "includedisabled");
        filters.Add(a => HaloSandboxState.Bool(a["isdisabled"]) == true ? disabled : enabled);
        if (!Flag(q, "includeapiagents"))
        {
            filters.Add(a => HaloSandboxState.Bool(a["isapiagent"]) != true);
        }

        if (Value(q, "search") is { } search)
        {
            filters.Add(a => Contains(a["name"], search) || Contains(a["email"], search));
        }

        if (Long(q, "team_id") is { } team)
        {
            filters.Add(a => a["teams"] is JsonArray t && t.Any(x => HaloSandboxState.Long(x?["team_id"]) == team));
        }

        return a => filters.All(f => f(a));
    }

    public static Func<JsonObject, bool> ActionFilter(IQueryCollection q)
    {
        var filters = new List<Func<JsonObject, bool>>();
        AddIdFilter(filters, q, "ticket_id", "ticket_id");
        if (Flag(q, "excludesys"))
        {
            filters.Add(a => HaloSandboxState.Long(a["who_type"]) != HaloSandboxState.WhoSystem);
        }

        if (Flag(q, "excludeprivate"))
        {
            filters.Add(a => HaloSandboxState.Bool(a["hiddenfromuser"]) != true);
        }

        if (Flag(q, "agentonly"))
        {
            filters.Add(a => HaloSandboxState.Long(a["who_type"]) == HaloSandboxState.WhoAgent);
        }

        if (Flag(q, "conversationonly"))
        {
            filters.Add(a => HaloSandboxState.Bool(a["hiddenfromuser"]) != true && HaloSandboxState.Long(a["who_type"]) != HaloSandboxState.WhoSystem);
        }

        AddDateFilter(filters, q, "startdate", "enddate", "datetime");
        return a => filters.All(f => f(a));
    }

    /// <summary>Orders rows by <c>order</c> (then <c>order2</c>), each ascending unless its <c>orderdesc</c> says, and by id last.</summary>
    public static List<JsonObject> Order(List<JsonObject> rows, IQueryCollection q)
    {
        IOrderedEnumerable<JsonObject>? ordered = null;
        foreach (var (order, desc) in new[] { ("order", "orderdesc"), ("order2", "orderdesc2") })
        {
            if (Value(q, order) is not { } field)
            {
                continue;
            }

            Func<JsonObject, string> key = r => SortKey(r[field]);
            ordered = ordered is null
                ? Flag(q, desc) ? rows.OrderByDescending(key, StringComparer.Ordinal) : rows.OrderBy(key, StringComparer.Ordinal)
                : Flag(q, desc) ? ordered.ThenByDescending(key, StringComparer.Ordinal) : ordered.ThenBy(key, StringComparer.Ordinal);
        }

        return ordered is null ? rows : [.. ordered.ThenBy(r => HaloSandboxState.Long(r["id"]))];
    }

    /// <summary>
    /// The rows one request answers: with <c>pageinate</c>, page <c>page_no</c> (from 1) of <c>page_size</c> rows (at most 100), else all
    /// of them or the first <c>count</c>; and the page number and size to echo.
    /// </summary>
    public static (List<JsonObject> Rows, int? PageNo, int? PageSize) Page(List<JsonObject> rows, IQueryCollection q)
    {
        if (!Flag(q, "pageinate"))
        {
            return (Long(q, "count") is { } count ? [.. rows.Take((int)Math.Max(0, count))] : rows, null, null);
        }

        // Halo caps page_size at 100 rather than refusing a larger one.
        var size = (int)Math.Clamp(Long(q, "page_size") ?? DefaultPageSize, 1, MaxPageSize);
        var page = (int)Math.Max(1, Long(q, "page_no") ?? 1);
        return ([.. rows.Skip((page - 1) * size).Take(size)], page, size);
    }

    public static bool Flag(IQueryCollection q, string name) => Value(q, name) is { } v && (bool.TryParse(v, out var b) ? b : v == "1");

    public static string? Value(IQueryCollection q, string name) =>
        q.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value.ToString() is { Length: > 0 } v ? v : null;

    public static long? Long(IQueryCollection q, string name) =>
        long.TryParse(Value(q, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static void AddIdFilter(List<Func<JsonObject, bool>> filters, IQueryCollection q, string name, string field, bool list = false)
    {
        if (Value(q, name) is not { } value)
        {
            return;
        }

        var ids = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new HaloSandboxError(400, $"{name} must be a number."))
            .ToHashSet();
        if (!list && ids.Count != 1)
        {
            throw new HaloSandboxError(400, $"{name} must be a number.");
        }

        filters.Add(r => HaloSandboxState.Long(r[field]) is { } id && ids.Contains(id));
    }

    // Lists leave inactive records out unless includeinactive; includeactive=false leaves the active ones out.
    private static void AddActiveFilter(List<Func<JsonObject, bool>> filters, IQueryCollection q, string field)
    {
        var inactive = Flag(q, "includeinactive");
        var active = Value(q, "includeactive") is not { } a || bool.TryParse(a, out var b) && b;
        filters.Add(r => HaloSandboxState.Bool(r[field]) == true ? inactive : active);
    }

    private static void AddDateFilter(List<Func<JsonObject, bool>> filters, IQueryCollection q, string from, string to, string field)
    {
        var start = Date(q, from);
        var end = Date(q, to);
        if (start is not null || end is not null)
        {
            filters.Add(r => HaloSandboxState.Time(r[field]) is { } at && (start is null || at >= start) && (end is null || at <= end));
        }
    }

    private static DateTimeOffset? Date(IQueryCollection q, string name) => Value(q, name) is not { } v
        ? null
        : DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new HaloSandboxError(400, $"{name} is not a date.");

    private static bool Contains(JsonNode? node, string search) =>
        HaloSandboxState.Text(node)?.Contains(search, StringComparison.OrdinalIgnoreCase) == true;

    // Numbers sort as numbers and stamps as instants: both are padded into one ordinal string form.
    private static string SortKey(JsonNode? node) =>
        HaloSandboxState.Long(node) is { } n ? n.ToString("D20", CultureInfo.InvariantCulture)
        : HaloSandboxState.Time(node) is { } t ? t.UtcTicks.ToString("D20", CultureInfo.InvariantCulture)
        : HaloSandboxState.Text(node) ?? "";
}
