using System.Text.Json.Serialization;
using Refit;

namespace EasyConnect.Sync.Psa.Halo.Dtos;

/// <summary>The auth server's answer to a client-credentials request; what EasyConnect does not need is ignored.</summary>
internal sealed class HaloToken
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; init; }

    /// <summary>Seconds the token lives (3600 by Halo's default); some proxies send it as text.</summary>
    [JsonPropertyName("expires_in")]
    public long? ExpiresIn { get; init; }

    [JsonPropertyName("scope")]
    public string? Scope { get; init; }
}

/// <summary>An OAuth error body (<c>{"error": "invalid_client", "error_description": …}</c>).</summary>
internal sealed class HaloOAuthError
{
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("error_description")]
    public string? Description { get; init; }
}

/// <summary>The query of a paged list (<c>/Tickets</c>, <c>/Client</c>, <c>/Asset</c>): offset pages, ordered by a field.</summary>
internal sealed class HaloListQuery
{
    // Halo's spelling.
    [AliasAs("pageinate")]
    public string? Paginate { get; init; }

    [AliasAs("page_size")]
    public int? PageSize { get; init; }

    [AliasAs("page_no")]
    public int? PageNo { get; init; }

    [AliasAs("order")]
    public string? Order { get; init; }

    [AliasAs("orderdesc")]
    public string? OrderDesc { get; init; }

    /// <summary>Rows updated since, as ISO-8601 UTC.</summary>
    [AliasAs("lastupdatefromdate")]
    public string? LastUpdateFrom { get; init; }

    [AliasAs("includeinactive")]
    public string? IncludeInactive { get; init; }

    [AliasAs("includeassetfields")]
    public string? IncludeAssetFields { get; init; }

    /// <summary>Tickets whose <c>client_reference</c> is this.</summary>
    [AliasAs("client_ref")]
    public string? ClientReference { get; init; }

    public static string Flag(bool value) => value ? "true" : "false";
}

/// <summary>The query of a ticket's actions.</summary>
internal sealed class HaloActionQuery
{
    [AliasAs("ticket_id")]
    public long TicketId { get; init; }

    /// <summary>System actions (status changes, SLA events) are never a conversation.</summary>
    [AliasAs("excludesys")]
    public string ExcludeSystem { get; init; } = "true";

    [AliasAs("includehtmlnote")]
    public string IncludeHtmlNote { get; init; } = "true";

    [AliasAs("count")]
    public int? Count { get; init; }
}

/// <summary>An action EasyConnect posts: a note on a ticket, never e-mailed to the customer.</summary>
internal sealed class HaloActionWrite
{
    [JsonPropertyName("ticket_id")]
    public long TicketId { get; init; }

    [JsonPropertyName("note_html")]
    public string? NoteHtml { get; init; }

    [JsonPropertyName("outcome")]
    public string? Outcome { get; init; }

    [JsonPropertyName("hiddenfromuser")]
    public bool HiddenFromUser { get; init; }

    [JsonPropertyName("sendemail")]
    public bool SendEmail { get; init; }

    [JsonPropertyName("who_agentid")]
    public long? WhoAgentId { get; init; }
}
