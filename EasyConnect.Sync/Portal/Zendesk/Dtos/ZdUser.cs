using System.Text.Json.Serialization;

namespace EasyConnect.Sync.Portal.Zendesk.Dtos;

/// <summary>A Zendesk user, as read. Unknown fields are ignored.</summary>
internal sealed class ZdUser
{
    public long Id { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Role { get; set; }

    public bool? Active { get; set; }
}

/// <summary><c>{"user": …}</c></summary>
internal sealed class ZdUserResponse
{
    public ZdUser? User { get; set; }
}

/// <summary><c>{"users": […]}</c>, as user search answers.</summary>
internal sealed class ZdUsersResponse
{
    public List<ZdUser>? Users { get; set; }
}

/// <summary>A ticket field's definition.</summary>
internal sealed class ZdTicketField
{
    public long Id { get; set; }

    public string? Type { get; set; }

    public string? Title { get; set; }

    public bool? Active { get; set; }
}

/// <summary><c>{"ticket_field": …}</c></summary>
internal sealed class ZdTicketFieldResponse
{
    [JsonPropertyName("ticket_field")]
    public ZdTicketField? TicketField { get; set; }
}

/// <summary>Zendesk's error body: <c>{"error": "RecordInvalid", "description": …, "details": {field: [{description, error}]}}</c>,
/// or, for authentication, <c>{"error": "Couldn't authenticate you"}</c>; <c>error</c> is sometimes an object with title and message.</summary>
internal sealed class ZdError
{
    public System.Text.Json.JsonElement Error { get; set; }

    public string? Description { get; set; }

    public Dictionary<string, List<ZdErrorDetail>>? Details { get; set; }
}

/// <summary>One reason a field was refused.</summary>
internal sealed class ZdErrorDetail
{
    public string? Description { get; set; }

    public string? Error { get; set; }
}
