using System.Text.Json.Serialization;

namespace EasyConnect.Sync.Psa.ConnectWise.Dtos;

/// <summary>A reference to another ConnectWise record (<c>{id, name, identifier, _info}</c>).</summary>
internal sealed record CwReference
{
    public int? Id { get; init; }
    public string? Name { get; init; }
    public string? Identifier { get; init; }

    [JsonPropertyName("_info")]
    public Dictionary<string, string>? Info { get; init; }

    public static CwReference To(int id) => new() { Id = id };
}

/// <summary>The <c>_info</c> map every ConnectWise record carries; only the dates matter to EasyConnect.</summary>
internal sealed record CwInfo
{
    public DateTimeOffset? LastUpdated { get; init; }
    public DateTimeOffset? DateEntered { get; init; }
    public string? UpdatedBy { get; init; }
    public string? EnteredBy { get; init; }
}

/// <summary>A custom field value (ConnectWise customFields[]); <c>value</c> is any JSON value.</summary>
internal sealed record CwCustomField
{
    public int? Id { get; init; }
    public string? Caption { get; init; }
    public string? Type { get; init; }
    public System.Text.Json.JsonElement? Value { get; init; }
}

/// <summary>A configuration question answer (ConnectWise configurations' questions[]).</summary>
internal sealed record CwQuestion
{
    public int? QuestionId { get; init; }
    public string? Question { get; init; }
    public string? Answer { get; init; }
}
