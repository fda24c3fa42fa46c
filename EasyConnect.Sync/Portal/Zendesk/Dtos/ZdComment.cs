using System.Text.Json.Serialization;

namespace EasyConnect.Sync.Portal.Zendesk.Dtos;

/// <summary>A Zendesk ticket comment, as read. Unknown fields are ignored.</summary>
internal sealed class ZdComment
{
    public long Id { get; set; }

    [JsonPropertyName("author_id")]
    public long? AuthorId { get; set; }

    public string? Body { get; set; }

    [JsonPropertyName("plain_body")]
    public string? PlainBody { get; set; }

    public bool? Public { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }
}

/// <summary>One page of a ticket's comments with cursor pagination, and the users side-loaded with them.</summary>
internal sealed class ZdCommentsPage
{
    public List<ZdComment>? Comments { get; set; }

    public List<ZdUser>? Users { get; set; }

    public ZdCursorMeta? Meta { get; set; }

    public ZdCursorLinks? Links { get; set; }
}

/// <summary>Cursor pagination's <c>meta</c>.</summary>
internal sealed class ZdCursorMeta
{
    [JsonPropertyName("has_more")]
    public bool HasMore { get; set; }

    [JsonPropertyName("after_cursor")]
    public string? AfterCursor { get; set; }
}

/// <summary>Cursor pagination's <c>links</c>.</summary>
internal sealed class ZdCursorLinks
{
    public string? Next { get; set; }
}
