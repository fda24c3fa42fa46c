namespace EasyConnect.Sync.Psa.ConnectWise.Dtos;

/// <summary>A reference to another ConnectWise record (<c>{id, name, identifier, _info}</c>); only id and name are read.</summary>
internal sealed record CwReference
{
    public int? Id { get; init; }
    public string? Name { get; init; }

    public static CwReference To(int id) => new() { Id = id };
}

/// <summary>The <c>_info</c> map every ConnectWise record carries; only the dates matter to EasyConnect.</summary>
internal sealed record CwInfo
{
    public DateTimeOffset? LastUpdated { get; init; }
    public DateTimeOffset? DateEntered { get; init; }
    public string? UpdatedBy { get; init; }
}

/// <summary>A custom field value (ConnectWise customFields[]); <c>value</c> is any JSON value.</summary>
internal sealed record CwCustomField
{
    public string? Caption { get; init; }
    public System.Text.Json.JsonElement? Value { get; init; }
}

/// <summary>A configuration question answer (ConnectWise configurations' questions[]); <c>answer</c> is any JSON value, as its type follows the question's fieldType.</summary>
internal sealed record CwQuestion
{
    public string? Question { get; init; }
    public System.Text.Json.JsonElement? Answer { get; init; }
}
