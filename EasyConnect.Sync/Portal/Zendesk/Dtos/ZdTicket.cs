using System.Text.Json;
using System.Text.Json.Serialization;

namespace EasyConnect.Sync.Portal.Zendesk.Dtos;

/// <summary>A Zendesk ticket, as read. Unknown fields are ignored.</summary>
internal sealed class ZdTicket
{
    public long Id { get; set; }

    public string? Subject { get; set; }

    public string? Description { get; set; }

    public string? Priority { get; set; }

    public string? Status { get; set; }

    [JsonPropertyName("requester_id")]
    public long? RequesterId { get; set; }

    [JsonPropertyName("external_id")]
    public string? ExternalId { get; set; }

    [JsonPropertyName("custom_fields")]
    public List<ZdCustomField>? CustomFields { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }

    [JsonPropertyName("updated_at")]
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Sent only when asked for with <c>include=comment_count</c>.</summary>
    [JsonPropertyName("comment_count")]
    public int? CommentCount { get; set; }
}

/// <summary>A custom field value of a ticket; Zendesk sends text, numbers, booleans, lists or null depending on the field type.</summary>
internal sealed class ZdCustomField
{
    public long Id { get; set; }

    public JsonElement Value { get; set; }
}

/// <summary><c>{"ticket": …}</c></summary>
internal sealed class ZdTicketResponse
{
    public ZdTicket? Ticket { get; set; }
}

/// <summary>The answer to a ticket update: the ticket and the audit that records what changed.</summary>
internal sealed class ZdTicketUpdateResponse
{
    public ZdTicket? Ticket { get; set; }

    public ZdAudit? Audit { get; set; }
}

/// <summary>A ticket audit: one update's events; a comment event's id is the new comment's id.</summary>
internal sealed class ZdAudit
{
    public long Id { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }

    public List<ZdAuditEvent>? Events { get; set; }
}

/// <summary>One event of an audit.</summary>
internal sealed class ZdAuditEvent
{
    public long Id { get; set; }

    public string? Type { get; set; }

    public string? Body { get; set; }

    [JsonPropertyName("author_id")]
    public long? AuthorId { get; set; }

    public bool? Public { get; set; }
}

/// <summary>One page of the cursor-based incremental ticket export.</summary>
internal sealed class ZdIncrementalTickets
{
    public List<ZdTicket>? Tickets { get; set; }

    public List<ZdUser>? Users { get; set; }

    [JsonPropertyName("after_cursor")]
    public string? AfterCursor { get; set; }

    [JsonPropertyName("end_of_stream")]
    public bool EndOfStream { get; set; }
}

/// <summary>
/// What every EasyConnect ticket update carries besides its change: the status the ticket has when it is new (Zendesk moves a new
/// ticket to open on an agent update without a status), as a safe update against the updated_at it was read with.
/// </summary>
internal abstract class ZdKeepStatus
{
    public string? Status { get; init; }

    [JsonPropertyName("safe_update")]
    public bool? SafeUpdate { get; init; }

    [JsonPropertyName("updated_stamp")]
    public string? UpdatedStamp { get; init; }
}

/// <summary>A ticket update that adds a comment: <c>{"ticket": {"comment": {…}}}</c>.</summary>
internal sealed class ZdCommentUpdateRequest
{
    public required ZdCommentUpdate Ticket { get; init; }
}

/// <summary>The ticket part of <see cref="ZdCommentUpdateRequest"/>.</summary>
internal sealed class ZdCommentUpdate : ZdKeepStatus
{
    public required ZdCommentCreate Comment { get; init; }
}

/// <summary>A ticket update that sets the external id: <c>{"ticket": {"external_id": …}}</c>.</summary>
internal sealed class ZdExternalIdUpdateRequest
{
    public required ZdExternalIdUpdate Ticket { get; init; }
}

/// <summary>The ticket part of <see cref="ZdExternalIdUpdateRequest"/>.</summary>
internal sealed class ZdExternalIdUpdate : ZdKeepStatus
{
    // Sent even when null: an explicit null is how Zendesk clears external_id.
    [JsonPropertyName("external_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ExternalId { get; init; }
}

/// <summary>A ticket update's comment (Zendesk has no create-comment endpoint).</summary>
internal sealed class ZdCommentCreate
{
    public required string Body { get; init; }

    [JsonPropertyName("public")]
    public bool Public { get; init; }

    [JsonPropertyName("author_id")]
    public long? AuthorId { get; init; }
}
