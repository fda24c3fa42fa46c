using System.ComponentModel.DataAnnotations;
using EasyConnect.Sync.Http;

namespace EasyConnect.Sync.Portal.Zendesk;

/// <summary>How EasyConnect talks to Zendesk, for every connection. Bound from <see cref="SectionName"/>.</summary>
public sealed class ZendeskOptions : VendorHttpOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:Zendesk";

    /// <summary>Tickets per page of the incremental export; Zendesk's maximum is 1,000.</summary>
    [Range(1, 1000)]
    public int ExportPageSize { get; set; } = 1000;

    /// <summary>Comments per page; Zendesk's maximum for cursor pagination is 100.</summary>
    [Range(1, 100)]
    public int CommentPageSize { get; set; } = 100;

    /// <summary>Incremental export requests allowed per <see cref="ExportRateWindow"/> and account (Zendesk allows 10 a minute).</summary>
    [Range(1, 10_000)]
    public int ExportRequestsPerWindow { get; set; } = 10;

    /// <summary>The window of <see cref="ExportRequestsPerWindow"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ExportRateWindow { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>One portal connection's settings.</summary>
public sealed record ZendeskConnectionSettings
{
    /// <summary>The account's address, e.g. https://acme.zendesk.com (a path is kept, which the sandbox needs).</summary>
    public required string BaseUrl { get; init; }

    /// <summary>The agent's email the API token belongs to; unused with <see cref="OAuthToken"/>.</summary>
    public string? Email { get; init; }

    /// <summary>The API token (secret).</summary>
    public string? ApiToken { get; init; }

    /// <summary>An OAuth access token (secret); when set it is used instead of the email and API token.</summary>
    public string? OAuthToken { get; init; }

    /// <summary>The id of the custom ticket field holding the ClusterID; null when not set yet.</summary>
    public long? ClusterIdFieldId { get; init; }

    /// <summary>Hides the secrets, so the settings can be logged.</summary>
    public override string ToString() =>
        $"ZendeskConnectionSettings {{ BaseUrl = {BaseUrl}, Email = {Email}, ClusterIdFieldId = {ClusterIdFieldId} }}";
}
