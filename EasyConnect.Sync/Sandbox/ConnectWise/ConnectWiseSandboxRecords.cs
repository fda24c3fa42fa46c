using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.ConnectWise;

/// <summary>A stored sandbox record: its keys for fast filtering and ordering, and its JSON exactly as served.</summary>
internal sealed class SandboxRow(int id, int parentId, DateTimeOffset dateEntered, byte[] json)
{
    public int Id { get; } = id;

    /// <summary>The board of a status, the ticket of a note; 0 otherwise.</summary>
    public int ParentId { get; } = parentId;

    public DateTimeOffset DateEntered { get; } = dateEntered;

    public DateTimeOffset LastUpdated { get; set; } = dateEntered;

    public byte[] Json { get; set; } = json;

    private (byte[] Json, JsonObject Node)? _read;

    public JsonObject Node() => JsonNode.Parse(Json)!.AsObject();

    /// <summary>
    /// The record parsed once for reading, under the state's gate (a reference to it is built for every ticket and note); never to be
    /// changed: a change goes through <see cref="Node"/> and a new <see cref="Json"/>, which this parses again.
    /// </summary>
    public JsonObject ReadNode()
    {
        var json = Json;
        if (_read is { } read && ReferenceEquals(read.Json, json))
        {
            return read.Node;
        }

        var node = Node();
        _read = (json, node);
        return node;
    }
}

/// <summary>One entity's records, in id order (ids only grow, so appending keeps the order).</summary>
internal sealed class SandboxTable
{
    private readonly Dictionary<int, SandboxRow> _byId = [];

    public List<SandboxRow> Rows { get; } = [];

    public int NextId { get; set; } = 1;

    public SandboxRow? Find(int id) => _byId.GetValueOrDefault(id);

    public void Add(SandboxRow row)
    {
        Rows.Add(row);
        _byId[row.Id] = row;
        NextId = Math.Max(NextId, row.Id + 1);
    }

    public bool Remove(int id)
    {
        if (!_byId.Remove(id, out var row))
        {
            return false;
        }

        Rows.Remove(row);
        return true;
    }
}

/// <summary>A service ticket of the ConnectWise sandbox as it stands, for tests and demos.</summary>
public sealed record ConnectWiseSandboxTicket(
    int Id, string Summary, int BoardId, int StatusId, int PriorityId, int CompanyId, string ExternalXRef,
    IReadOnlyList<int> ConfigurationIds, DateTimeOffset LastUpdated);

/// <summary>A note of a ConnectWise sandbox ticket.</summary>
/// <param name="Discussion">detailDescriptionFlag: a Discussion note (the first one holds the initial description).</param>
/// <param name="Internal">internalAnalysisFlag: an internal note.</param>
public sealed record ConnectWiseSandboxNote(
    int Id, int TicketId, string Text, bool Discussion, bool Internal, int? MemberId, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>An error the sandbox answers with, in ConnectWise's body shape.</summary>
internal sealed class ConnectWiseSandboxError(int status, string code, string message, IReadOnlyList<(string Code, string Message, string Resource, string Field)>? errors = null)
    : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public IReadOnlyList<(string Code, string Message, string Resource, string Field)> Errors { get; } = errors ?? [];

    public static ConnectWiseSandboxError Invalid(string resource, string code, string message, string field) =>
        new(400, "InvalidObject", $"{resource} object is invalid", [(code, message, resource, field)]);

    public static ConnectWiseSandboxError NotFound(string message) => new(404, "NotFound", message);
}
