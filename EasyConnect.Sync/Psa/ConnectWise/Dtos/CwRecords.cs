using System.Text.Json.Serialization;

namespace EasyConnect.Sync.Psa.ConnectWise.Dtos;

/// <summary>A service ticket as ConnectWise returns it; fields EasyConnect does not use are ignored.</summary>
internal sealed record CwTicket
{
    public int Id { get; init; }
    public string? Summary { get; init; }
    public CwReference? Board { get; init; }
    public CwReference? Status { get; init; }
    public CwReference? Priority { get; init; }
    public CwReference? Company { get; init; }
    public string? ExternalXRef { get; init; }

    [JsonPropertyName("_info")]
    public CwInfo? Info { get; init; }
}

/// <summary>The body of a ticket create; <c>initialDescription</c> exists on POST only.</summary>
internal sealed record CwTicketCreate
{
    public required string Summary { get; init; }
    public required CwReference Board { get; init; }
    public CwReference? Status { get; init; }
    public CwReference? Priority { get; init; }
    public CwReference? Company { get; init; }
    public string? InitialDescription { get; init; }
    public string? ExternalXRef { get; init; }
}

/// <summary>A service ticket note.</summary>
internal sealed record CwNote
{
    public int Id { get; init; }
    public int? TicketId { get; init; }
    public string? Text { get; init; }
    public bool? DetailDescriptionFlag { get; init; }
    public bool? InternalAnalysisFlag { get; init; }
    public CwReference? Member { get; init; }
    public DateTimeOffset? DateCreated { get; init; }
    public string? CreatedBy { get; init; }

    [JsonPropertyName("_info")]
    public CwInfo? Info { get; init; }
}

/// <summary>The body of a note create.</summary>
internal sealed record CwNoteCreate
{
    public required string Text { get; init; }
    public bool DetailDescriptionFlag { get; init; }
    public bool InternalAnalysisFlag { get; init; }
    public bool ResolutionFlag { get; init; }
    public CwReference? Member { get; init; }
}

/// <summary>A ConnectWise member (user).</summary>
internal sealed record CwMember
{
    public int Id { get; init; }
    public string? Identifier { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? PrimaryEmail { get; init; }
    public string? OfficeEmail { get; init; }
    public bool? InactiveFlag { get; init; }

    [JsonPropertyName("_info")]
    public CwInfo? Info { get; init; }
}

/// <summary>A customer company.</summary>
internal sealed record CwCompany
{
    public int Id { get; init; }
    public string? Identifier { get; init; }
    public string? Name { get; init; }
    public bool? DeletedFlag { get; init; }
    public CwReference? Status { get; init; }

    [JsonPropertyName("_info")]
    public CwInfo? Info { get; init; }
}

/// <summary>A company configuration (asset).</summary>
internal sealed record CwConfiguration
{
    public int Id { get; init; }
    public string? Name { get; init; }
    public CwReference? Company { get; init; }
    public string? SerialNumber { get; init; }
    public string? TagNumber { get; init; }
    public bool? ActiveFlag { get; init; }
    public List<CwQuestion>? Questions { get; init; }
    public List<CwCustomField>? CustomFields { get; init; }

    [JsonPropertyName("_info")]
    public CwInfo? Info { get; init; }
}

/// <summary>A service board.</summary>
internal sealed record CwBoard
{
    public int Id { get; init; }
    public string? Name { get; init; }
    public bool? InactiveFlag { get; init; }

    [JsonPropertyName("_info")]
    public CwInfo? Info { get; init; }
}

/// <summary>A status of one service board.</summary>
internal sealed record CwBoardStatus
{
    public int Id { get; init; }
    public string? Name { get; init; }
    public CwReference? Board { get; init; }
    public int? SortOrder { get; init; }
    public bool? Inactive { get; init; }
    public bool? ClosedStatus { get; init; }

    [JsonPropertyName("_info")]
    public CwInfo? Info { get; init; }
}

/// <summary>A service priority.</summary>
internal sealed record CwPriority
{
    public int Id { get; init; }
    public string? Name { get; init; }
    public int? SortOrder { get; init; }

    [JsonPropertyName("_info")]
    public CwInfo? Info { get; init; }
}

/// <summary>The answer of <c>/count</c>.</summary>
internal sealed record CwCount(int Count);

/// <summary>
/// The answer of <c>login/companyinfo/{companyId}</c>; only the codebase is needed, so nothing else is read
/// (ConnectWise sends every field as a string, <c>"IsCloud": "True"</c> included).
/// </summary>
internal sealed record CwCompanyInfo
{
    public string? Codebase { get; init; }
}

/// <summary>One JSON Patch operation; ConnectWise takes an array of them on PATCH.</summary>
internal sealed record CwPatchOperation(string Op, string Path, object? Value);

/// <summary>ConnectWise's error body.</summary>
internal sealed record CwError
{
    public string? Code { get; init; }
    public string? Message { get; init; }
    public List<CwFieldError>? Errors { get; init; }
}

/// <summary>One entry of an error body's <c>errors[]</c>.</summary>
internal sealed record CwFieldError
{
    public string? Code { get; init; }
    public string? Message { get; init; }
    public string? Resource { get; init; }
    public string? Field { get; init; }
}
