using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EasyConnect.Sync.Sandbox.Portal;

// The records in Zendesk's JSON shapes.
public static partial class PortalSandboxEndpoints
{
    private static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);

    private static string ApiBase(HttpContext context)
    {
        var path = context.Request.PathBase + context.Request.Path.Value;
        var at = path.IndexOf("/api/v2", StringComparison.Ordinal);
        return $"{context.Request.Scheme}://{context.Request.Host}{path[..(at + 7)]}";
    }

    private static bool Includes(HttpContext context, string sideload) =>
        context.Request.Query["include"].ToString().Split(',', StringSplitOptions.TrimEntries).Contains(sideload, StringComparer.Ordinal);

    private static JsonArray UsersJson(HttpContext context, PortalSandboxState state, IEnumerable<long> ids) =>
        new([.. ids.Distinct().Select(state.FindUser).OfType<PortalSandboxUser>().Select(u => (JsonNode)UserJson(context, u))]);

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static JsonObject TicketJson(HttpContext context, PortalSandboxState state, PortalSandboxTicket t) => new()
    {
        ["url"] = $"{ApiBase(context)}/tickets/{t.Id}.json",
        ["id"] = t.Id,
        ["external_id"] = t.ExternalId,
        ["via"] = new JsonObject { ["channel"] = "web", ["source"] = new JsonObject { ["from"] = new JsonObject(), ["to"] = new JsonObject(), ["rel"] = null } },
        ["created_at"] = Iso(t.CreatedAt),
        ["updated_at"] = Iso(t.UpdatedAt),
        ["generated_timestamp"] = t.GeneratedAt.ToUnixTimeSeconds(),
        ["type"] = "incident",
        ["subject"] = t.Subject,
        ["raw_subject"] = t.Subject,
        ["description"] = t.Description,
        ["priority"] = t.Priority,
        ["status"] = t.Status,
        ["recipient"] = null,
        ["requester_id"] = t.RequesterId,
        ["submitter_id"] = t.RequesterId,
        ["assignee_id"] = null,
        ["organization_id"] = null,
        ["group_id"] = null,
        ["collaborator_ids"] = new JsonArray(),
        ["follower_ids"] = new JsonArray(),
        ["email_cc_ids"] = new JsonArray(),
        ["has_incidents"] = false,
        ["is_public"] = true,
        ["due_at"] = null,
        ["tags"] = new JsonArray(),
        ["custom_fields"] = new JsonArray(
            new JsonObject { ["id"] = state.Options.ClusterIdFieldId, ["value"] = t.ClusterId },
            new JsonObject { ["id"] = state.Options.ClusterIdFieldId + 1, ["value"] = null }),
        ["sharing_agreement_ids"] = new JsonArray(),
        ["followup_ids"] = new JsonArray(),
        ["ticket_form_id"] = 360000000001,
        ["brand_id"] = 360000000002,
        ["allow_channelback"] = false,
        ["allow_attachments"] = true,
        ["from_messaging_channel"] = false,
    };

    /// <summary>Zendesk's comment_count sideload: the ticket's number of comments, the description included.</summary>
    private static JsonObject WithCommentCount(HttpContext context, PortalSandboxState state, JsonObject ticket, long ticketId)
    {
        if (Includes(context, "comment_count"))
        {
            ticket["comment_count"] = state.Comments(ticketId).Count;
        }

        return ticket;
    }

    private static JsonObject CommentJson(PortalSandboxComment c) => new()
    {
        ["id"] = c.Id,
        ["type"] = "Comment",
        ["author_id"] = c.AuthorId,
        ["body"] = c.Body,
        ["html_body"] = $"<div class=\"zd-comment\"><p>{Html(c.Body).Replace("\n", "<br>", StringComparison.Ordinal)}</p></div>",
        ["plain_body"] = c.Body,
        ["public"] = c.Public,
        ["attachments"] = new JsonArray(),
        ["audit_id"] = c.AuditId,
        ["via"] = new JsonObject { ["channel"] = "api", ["source"] = new JsonObject { ["from"] = new JsonObject(), ["to"] = new JsonObject(), ["rel"] = null } },
        ["created_at"] = Iso(c.CreatedAt),
        ["metadata"] = new JsonObject { ["system"] = new JsonObject(), ["custom"] = new JsonObject() },
    };

    private static JsonObject UserJson(HttpContext context, PortalSandboxUser u) => new()
    {
        ["id"] = u.Id,
        ["url"] = $"{ApiBase(context)}/users/{u.Id}.json",
        ["name"] = u.Name,
        ["email"] = u.Email,
        ["created_at"] = Iso(u.CreatedAt),
        ["updated_at"] = Iso(u.CreatedAt),
        ["time_zone"] = "Eastern Time (US & Canada)",
        ["iana_time_zone"] = "America/New_York",
        ["phone"] = null,
        ["locale_id"] = 1,
        ["locale"] = "en-US",
        ["organization_id"] = null,
        ["role"] = u.Role,
        ["verified"] = true,
        ["external_id"] = null,
        ["tags"] = new JsonArray(),
        ["alias"] = "",
        ["active"] = true,
        ["shared"] = false,
        ["shared_agent"] = false,
        ["last_login_at"] = null,
        ["two_factor_auth_enabled"] = false,
        ["signature"] = null,
        ["details"] = "",
        ["notes"] = "",
        ["custom_role_id"] = null,
        ["moderator"] = u.Role != "end-user",
        ["ticket_restriction"] = u.Role == "end-user" ? "requested" : null,
        ["only_private_comments"] = false,
        ["restricted_agent"] = false,
        ["suspended"] = false,
        ["default_group_id"] = null,
        ["report_csv"] = u.Role == "admin",
        ["user_fields"] = new JsonObject(),
    };

    private static JsonObject AuditJson(PortalSandboxState state, PortalSandboxUpdate update, PortalSandboxUser caller)
    {
        var events = new JsonArray();
        if (update.Comment is { } c)
        {
            events.Add(new JsonObject
            {
                ["id"] = c.Id,
                ["type"] = "Comment",
                ["author_id"] = c.AuthorId,
                ["body"] = c.Body,
                ["html_body"] = CommentJson(c)["html_body"]!.DeepClone(),
                ["plain_body"] = c.Body,
                ["public"] = c.Public,
                ["attachments"] = new JsonArray(),
                ["audit_id"] = update.AuditId,
            });
        }

        var id = update.AuditId * 10;
        foreach (var (field, value, previous) in update.Changes)
        {
            events.Add(new JsonObject { ["id"] = ++id, ["type"] = "Change", ["field_name"] = field, ["value"] = value, ["previous_value"] = previous });
        }

        return new JsonObject
        {
            ["id"] = update.AuditId,
            ["ticket_id"] = update.Ticket.Id,
            ["created_at"] = Iso(update.Comment?.CreatedAt ?? state.Now),
            ["author_id"] = caller.Id,
            ["metadata"] = new JsonObject { ["system"] = new JsonObject(), ["custom"] = new JsonObject() },
            ["events"] = events,
            ["via"] = new JsonObject { ["channel"] = "api", ["source"] = new JsonObject { ["from"] = new JsonObject(), ["to"] = new JsonObject(), ["rel"] = null } },
        };
    }

    private static IEnumerable<JsonObject> TicketFields(HttpContext context, PortalSandboxState state)
    {
        JsonObject Field(long id, string type, string title, bool removable) => new()
        {
            ["url"] = $"{ApiBase(context)}/ticket_fields/{id}.json",
            ["id"] = id,
            ["type"] = type,
            ["title"] = title,
            ["raw_title"] = title,
            ["description"] = "",
            ["raw_description"] = "",
            ["position"] = id % 1000,
            ["active"] = true,
            ["required"] = false,
            ["collapsed_for_agents"] = false,
            ["regexp_for_validation"] = null,
            ["title_in_portal"] = title,
            ["raw_title_in_portal"] = title,
            ["visible_in_portal"] = !removable,
            ["editable_in_portal"] = !removable,
            ["required_in_portal"] = false,
            ["tag"] = null,
            ["created_at"] = Iso(state.ApiUser.CreatedAt),
            ["updated_at"] = Iso(state.ApiUser.CreatedAt),
            ["removable"] = removable,
            ["agent_description"] = null,
        };

        yield return Field(360000000011, "subject", "Subject", false);
        yield return Field(360000000012, "description", "Description", false);
        yield return Field(360000000013, "status", "Status", false);
        yield return Field(360000000014, "priority", "Priority", false);
        yield return Field(state.Options.ClusterIdFieldId, "text", "ClusterID", true);
    }
}
