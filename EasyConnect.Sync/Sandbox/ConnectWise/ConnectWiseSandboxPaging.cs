using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace EasyConnect.Sync.Sandbox.ConnectWise;

/// <summary>ConnectWise's list rules: conditions, orderBy, fields, and its two paging modes (navigable and forward-only).</summary>
internal static class ConnectWiseSandboxPaging
{
    // ConnectWise answers 25 rows when no pageSize is sent, and never more than 1,000 (Developer Guide, Pagination).
    private const int DefaultPageSize = 25;
    private const int MaxPageSize = 1000;

    internal static IEnumerable<SandboxRow> Filter(IEnumerable<SandboxRow> rows, StringValues conditions)
    {
        if (StringValues.IsNullOrEmpty(conditions) || string.IsNullOrWhiteSpace(conditions.ToString()))
        {
            return rows;
        }

        var predicate = ConnectWiseConditionParser.Parse(conditions.ToString());
        var reader = new RowReader();
        return rows.Where(row =>
        {
            reader.Use(row);
            return predicate(reader.Get);
        }).ToList();
    }

    /// <summary>
    /// One page. Navigable (the default): page/pageSize, a Link header with first and last always and prev/next where they
    /// apply. Forward-only (header <c>pagination-type: forward-only</c>): id order, pageId read as id &gt; pageId, page
    /// ignored, orderBy refused, and a Link rel="next" on every page naming the last id served.
    /// </summary>
    internal static IResult Page(HttpContext context, IEnumerable<SandboxRow> source)
    {
        var query = context.Request.Query;
        var pageSize = Math.Clamp(ConnectWiseSandboxEndpoints.Int(query["pageSize"]) ?? DefaultPageSize, 1, MaxPageSize);
        var orderBy = query["orderBy"].ToString();
        var fields = query["fields"].ToString();
        // Without the header ConnectWise pages navigably, whatever the query says (pageId alone does not switch modes).
        var forwardOnly = string.Equals(context.Request.Headers["pagination-type"].ToString().Trim(), "forward-only", StringComparison.OrdinalIgnoreCase);
        if (forwardOnly)
        {
            if (!string.IsNullOrWhiteSpace(orderBy))
            {
                // ConnectWise: "You cannot use an Order By query parameter with forward-only as it must be ordered by the ID."
                return ConnectWiseSandboxEndpoints.Error(400, "InvalidObject", "orderBy cannot be used with forward-only pagination.",
                    [("InvalidField", "Forward-only pagination is always ordered by id; orderBy is not allowed.", "pagination", "orderBy")]);
            }

            var after = ConnectWiseSandboxEndpoints.Int(query["pageId"]) ?? 0;
            var taken = Filter(source.Where(r => r.Id > after), query["conditions"]).OrderBy(r => r.Id).Take(pageSize).ToList();
            // ConnectWise: "There will always be a link header in the response for the next pageId", the last id served.
            context.Response.Headers.Link = $"<{Url(context, "pageId", taken.Count > 0 ? taken[^1].Id : after)}>; rel=\"next\"";
            return Rows(taken, fields);
        }

        var ordered = Order(Filter(source, query["conditions"]), orderBy).ToList();
        var page = Math.Max(1, ConnectWiseSandboxEndpoints.Int(query["page"]) ?? 1);
        var last = Math.Max(1, (ordered.Count + pageSize - 1) / pageSize);
        // first and last always; next and prev "will not be returned if there isn't a next or prev" (Developer Guide, Pagination).
        var links = new List<string> { $"<{Url(context, "page", 1)}>; rel=\"first\"" };
        if (page > 1)
        {
            links.Add($"<{Url(context, "page", Math.Min(page - 1, last))}>; rel=\"prev\"");
        }

        if (page < last)
        {
            links.Add($"<{Url(context, "page", page + 1)}>; rel=\"next\"");
        }

        links.Add($"<{Url(context, "page", last)}>; rel=\"last\"");
        context.Response.Headers.Link = string.Join(", ", links);
        return Rows(ordered.Skip((page - 1) * pageSize).Take(pageSize).ToList(), fields);
    }

    private static IEnumerable<SandboxRow> Order(IEnumerable<SandboxRow> rows, string orderBy)
    {
        var order = string.IsNullOrWhiteSpace(orderBy) ? [] : ConnectWiseConditionParser.ParseOrderBy(orderBy);
        if (order.Count == 0 || (order.Count == 1 && order[0] is ("id", false)))
        {
            return rows.OrderBy(r => r.Id);
        }

        var reader = new RowReader();
        var keyed = rows.Select(row =>
        {
            reader.Use(row);
            return (Row: row, Keys: order.Select(o => reader.Get(o.Field)).ToArray());
        }).ToList();
        keyed.Sort((a, b) =>
        {
            for (var i = 0; i < order.Count; i++)
            {
                var c = ConnectWiseConditionParser.CompareValues(a.Keys[i], b.Keys[i]);
                if (c != 0)
                {
                    return order[i].Descending ? -c : c;
                }
            }

            return a.Row.Id.CompareTo(b.Row.Id);
        });
        return keyed.Select(k => k.Row);
    }

    private static IResult Rows(List<SandboxRow> rows, string fields)
    {
        var wanted = string.IsNullOrWhiteSpace(fields)
            ? null
            : fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(f => f.Split('/')[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var buffer = new MemoryStream();
        buffer.WriteByte((byte)'[');
        for (var i = 0; i < rows.Count; i++)
        {
            if (i > 0)
            {
                buffer.WriteByte((byte)',');
            }

            if (wanted is null)
            {
                buffer.Write(rows[i].Json);
            }
            else
            {
                var node = rows[i].Node();
                foreach (var name in node.Select(p => p.Key).Where(k => !wanted.Contains(k)).ToList())
                {
                    node.Remove(name);
                }

                buffer.Write(JsonSerializer.SerializeToUtf8Bytes(node));
            }
        }

        buffer.WriteByte((byte)']');
        return Results.Bytes(buffer.ToArray(), "application/json; charset=utf-8");
    }

    private static string Url(HttpContext context, string name, int value)
    {
        var request = context.Request;
        var parameters = QueryHelpers.ParseQuery(request.QueryString.Value)
            .Where(p => p.Key is not ("page" or "pageId"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new(name, value.ToString(CultureInfo.InvariantCulture)));
        return QueryHelpers.AddQueryString($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}", parameters);
    }

    /// <summary>Reads fields of a row for conditions and ordering; keys come from the index, the rest from its JSON, parsed at most once.</summary>
    private sealed class RowReader
    {
        private SandboxRow? _row;
        private JsonElement? _root;

        public void Use(SandboxRow row)
        {
            _row = row;
            _root = null;
        }

        public object? Get(string path)
        {
            var row = _row!;
            switch (path.ToLowerInvariant())
            {
                case "id":
                    return (decimal)row.Id;
                case "lastupdated" or "_info/lastupdated":
                    return row.LastUpdated;
                case "dateentered" or "_info/dateentered":
                    return row.DateEntered;
            }

            _root ??= JsonSerializer.Deserialize<JsonElement>(row.Json);
            var element = _root.Value;
            foreach (var segment in path.Split('/', '.'))
            {
                if (element.ValueKind != JsonValueKind.Object || !TryProperty(element, segment, out element))
                {
                    return null;
                }
            }

            return element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Number => element.GetDecimal(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            };
        }

        // ConnectWise field names in conditions are case-insensitive.
        private static bool TryProperty(JsonElement element, string name, out JsonElement value)
        {
            if (element.TryGetProperty(name, out value))
            {
                return true;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }

            return false;
        }
    }
}
