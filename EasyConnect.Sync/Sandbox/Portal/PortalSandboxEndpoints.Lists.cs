using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EasyConnect.Sync.Sandbox.Portal;

// The list endpoints (incremental export, comments, users) and how a ticket update is read.
public static partial class PortalSandboxEndpoints
{
    private static IResult Export(HttpContext context, PortalSandboxState state)
    {
        var query = context.Request.Query;
        var cursorText = query["cursor"].ToString();
        long? after = null;
        DateTimeOffset? start = null;
        if (cursorText.Length > 0)
        {
            after = PortalSandboxState.DecodeCursor(cursorText) ?? throw new PortalSandboxError(422, "InvalidValue", "Invalid cursor");
        }
        else if (long.TryParse(query["start_time"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            start = DateTimeOffset.FromUnixTimeSeconds(seconds);
            // Zendesk refuses a start time less than a minute old with a 400.
            if (start > state.Now.AddMinutes(-1))
            {
                throw new PortalSandboxError(400, "InvalidValue", "Too recent start_time. Use a start_time older than 1 minute.");
            }
        }
        else
        {
            throw new PortalSandboxError(422, "InvalidValue", "start_time or cursor is required");
        }

        var size = int.TryParse(query["per_page"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var perPage) ? Math.Clamp(perPage, 1, MaxExportPage) : MaxExportPage;
        var (tickets, last, end) = state.Export(after, start, size);
        var cursor = PortalSandboxState.EncodeCursor(last);
        var body = new JsonObject
        {
            ["tickets"] = new JsonArray([.. tickets.Select(t => (JsonNode)WithCommentCount(context, state, TicketJson(context, state, t), t.Id))]),
            ["after_url"] = $"{ApiBase(context)}/incremental/tickets/cursor.json?cursor={cursor}",
            ["after_cursor"] = cursor,
            ["before_url"] = null,
            ["before_cursor"] = null,
            ["end_of_stream"] = end,
        };
        if (Includes(context, "users"))
        {
            body["users"] = UsersJson(context, state, tickets.Select(t => t.RequesterId));
        }

        return Json(body);
    }

    private static IResult CommentsPage(HttpContext context, PortalSandboxState state, long ticketId)
    {
        if (state.FindTicket(ticketId) is null)
        {
            throw PortalSandboxError.NotFound();
        }

        var query = context.Request.Query;
        var all = state.Comments(ticketId);
        JsonObject body;
        List<PortalSandboxComment> page;
        var cursorMode = query.ContainsKey("page[size]") || query.ContainsKey("page[after]");
        if (cursorMode)
        {
            var size = int.TryParse(query["page[size]"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 1, MaxCommentPage) : MaxCommentPage;
            var afterText = query["page[after]"].ToString();
            var after = afterText.Length == 0 ? 0 : PortalSandboxState.DecodeCursor(afterText) ?? throw new PortalSandboxError(400, "InvalidPaginationParameter", "page[after] is not valid");
            var rest = all.Where(c => c.Id > after).ToList();
            page = rest.Take(size).ToList();
            var hasMore = rest.Count > page.Count;
            var afterCursor = page.Count > 0 ? PortalSandboxState.EncodeCursor(page[^1].Id) : null;
            var beforeCursor = page.Count > 0 ? PortalSandboxState.EncodeCursor(page[0].Id) : null;
            body = new JsonObject
            {
                ["comments"] = null,
                ["meta"] = new JsonObject { ["has_more"] = hasMore, ["after_cursor"] = afterCursor, ["before_cursor"] = beforeCursor },
                ["links"] = new JsonObject
                {
                    ["prev"] = beforeCursor is null ? null : $"{ApiBase(context)}/tickets/{ticketId}/comments.json?page%5Bbefore%5D={beforeCursor}&page%5Bsize%5D={size}",
                    // Zendesk sends links.next on the last page too: only meta.has_more says whether there is more.
                    ["next"] = afterCursor is null ? null : $"{ApiBase(context)}/tickets/{ticketId}/comments.json?page%5Bafter%5D={afterCursor}&page%5Bsize%5D={size}",
                },
            };
        }
        else
        {
            // Without page[...] Zendesk answers with offset pagination: page, per_page, next_page, count.
            var size = int.TryParse(query["per_page"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 1, MaxCommentPage) : MaxCommentPage;
            var number = int.TryParse(query["page"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Max(1, n) : 1;
            page = all.Skip((number - 1) * size).Take(size).ToList();
            body = new JsonObject
            {
                ["comments"] = null,
                ["next_page"] = number * size < all.Count ? $"{ApiBase(context)}/tickets/{ticketId}/comments.json?page={number + 1}&per_page={size}" : null,
                ["previous_page"] = number > 1 ? $"{ApiBase(context)}/tickets/{ticketId}/comments.json?page={number - 1}&per_page={size}" : null,
                ["count"] = all.Count,
            };
        }

        body["comments"] = new JsonArray([.. page.Select(c => (JsonNode)CommentJson(c))]);
        if (Includes(context, "users"))
        {
            // Zendesk documents include=users here as the way to list email CCs, not the comments' authors.
            body["users"] = UsersJson(context, state, state.Options.SideloadCommentAuthors ? page.Select(c => c.AuthorId) : []);
        }

        return Json(body);
    }

    private static PortalSandboxTicketChange ReadChange(JsonObject ticket, PortalSandboxState state)
    {
        string? Text(string name) => ticket[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        string? clusterId = null;
        if (ticket["custom_fields"] is JsonArray fields)
        {
            foreach (var field in fields.OfType<JsonObject>())
            {
                if (field["id"] is JsonValue id && id.TryGetValue<long>(out var fieldId) && fieldId == state.Options.ClusterIdFieldId)
                {
                    clusterId = field["value"] is JsonValue value ? value.ToString() : "";
                }
            }
        }

        var comment = ticket["comment"] as JsonObject;
        var body = comment?["body"] is JsonValue b ? b.ToString() : comment?["html_body"] is JsonValue h ? h.ToString() : comment is null ? null : "";
        long? author = comment?["author_id"] is JsonValue a && a.TryGetValue<long>(out var authorId) ? authorId : null;
        var isPublic = comment?["public"] is not JsonValue p || !p.TryGetValue<bool>(out var pub) || pub;
        // description is read-only (the first comment): Zendesk ignores it in an update, and so does the sandbox.
        return new PortalSandboxTicketChange(
            Text("subject"), ticket.ContainsKey("priority") ? Text("priority") ?? "" : null, Text("status"), clusterId,
            ticket.ContainsKey("external_id"), Text("external_id"), body, isPublic, author, SafeUpdateStamp(ticket));
    }

    /// <summary>The updated_stamp of a safe update (safe_update true, or "true" as Zendesk's own example sends it); null otherwise.</summary>
    private static DateTimeOffset? SafeUpdateStamp(JsonObject ticket)
    {
        var safe = ticket["safe_update"] is JsonValue v
            && ((v.TryGetValue<bool>(out var b) && b) || (v.TryGetValue<string>(out var text) && bool.TryParse(text, out var parsed) && parsed));
        if (!safe)
        {
            return null;
        }

        return ticket["updated_stamp"] is JsonValue s && s.TryGetValue<string>(out var stamp)
            && DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw PortalSandboxError.Invalid("updated_stamp", "Updated stamp: is required for a safe update", "BlankValue");
    }

    /// <summary>GET users/show_many: up to 100 users by id; unknown ids are left out.</summary>
    private static IResult ShowManyUsers(HttpContext context, PortalSandboxState state)
    {
        var ids = new List<long>();
        foreach (var part in context.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            ids.Add(long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
                : throw new PortalSandboxError(400, "InvalidValue", $"\"{part}\" is not a user id"));
        }

        if (ids.Count > 100)
        {
            throw new PortalSandboxError(400, "InvalidValue", "ids accepts at most 100 user ids");
        }

        return Json(new JsonObject { ["users"] = UsersJson(context, state, ids) });
    }
}
