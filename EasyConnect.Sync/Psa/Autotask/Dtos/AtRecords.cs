using System.Text.Json;
using System.Text.Json.Serialization;

namespace EasyConnect.Sync.Psa.Autotask.Dtos;

/// <summary>ZoneInformation's answer: where an API user's database lives.</summary>
internal sealed class AtZoneInformation
{
    public string? ZoneName { get; set; }

    /// <summary>The zone's REST base, such as <c>https://webservices5.autotask.net/atservicesrest</c>.</summary>
    public string? Url { get; set; }

    public string? WebUrl { get; set; }

    public int? Ci { get; set; }
}

/// <summary>One page of a query: the rows as received and where the next page is.</summary>
internal sealed class AtQueryResult
{
    public List<JsonElement>? Items { get; set; }

    public AtPageDetails? PageDetails { get; set; }
}

internal sealed class AtPageDetails
{
    public int? Count { get; set; }

    public int? RequestCount { get; set; }

    public string? PrevPageUrl { get; set; }

    /// <summary>Null on the last page.</summary>
    public string? NextPageUrl { get; set; }
}

internal sealed class AtQueryCount
{
    public int? QueryCount { get; set; }
}

/// <summary>A read by id: <c>{"item": {...}}</c>, or <c>{"item": null}</c> when the record does not exist.</summary>
internal sealed class AtItem
{
    public JsonElement? Item { get; set; }
}

/// <summary>What a create or an update answers: <c>{"itemId": 123}</c>.</summary>
internal sealed class AtItemId
{
    public long? ItemId { get; set; }
}

internal sealed class AtFieldsResult
{
    public List<AtField>? Fields { get; set; }
}

/// <summary>One field of an entity's metadata; EasyConnect needs its picklist.</summary>
internal sealed class AtField
{
    public string? Name { get; set; }

    public string? DataType { get; set; }

    public int? Length { get; set; }

    public bool IsPickList { get; set; }

    public List<JsonElement>? PicklistValues { get; set; }
}

internal sealed class AtPicklistValue
{
    public string? Value { get; set; }

    public string? Label { get; set; }

    public bool? IsDefaultValue { get; set; }

    public int? SortOrder { get; set; }

    public bool? IsActive { get; set; }

    public string? ParentValue { get; set; }
}

/// <summary>Autotask's error body: a list of messages.</summary>
internal sealed class AtError
{
    [JsonPropertyName("errors")]
    public List<string>? Errors { get; set; }
}

/// <summary>ThresholdInformation's answer: the database's requests in the rolling hour, by every integration.</summary>
internal sealed class AtThresholdInformation
{
    public int? ExternalRequestThreshold { get; set; }

    /// <summary>The window in minutes (60).</summary>
    public int? RequestThresholdTimeframe { get; set; }

    public int? CurrentTimeframeRequestCount { get; set; }
}
