using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.ConnectWise;

/// <summary>
/// The simulated ConnectWise instance: every record in memory, indexed by id and served in (lastUpdated, id) or id order,
/// seeded deterministically from <see cref="ConnectWiseSandboxOptions"/>. Thread-safe; one per app (a singleton).
/// </summary>
public sealed partial class ConnectWiseSandboxState
{
    private const string OnPremiseCodebase = "v4_6_release/";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _gate = new();

    // Who the change in progress is made by, when a technician rather than the API member makes it (updatedBy).
    private string? _actor;
    private readonly TimeProvider _time;
    // Replaced whole, never changed in place, so every request reads it without taking the gate the tables' writes hold.
    private volatile string[] _denied = [];
    private readonly Dictionary<int, List<int>> _ticketConfigurations = [];
    private readonly HashSet<string> _formerCodebases = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset _lastStamp;
    // Read by every request without the gate (a reference is read whole); written under it, with the former codebases.
    private volatile string _codebase;

    internal SandboxTable Companies { get; } = new();
    internal SandboxTable Configurations { get; } = new();
    internal SandboxTable Members { get; } = new();
    internal SandboxTable Boards { get; } = new();
    internal SandboxTable Statuses { get; } = new();
    internal SandboxTable Priorities { get; } = new();
    internal SandboxTable Tickets { get; } = new();
    internal SandboxTable Notes { get; } = new();

    /// <summary>Seeds the instance from <paramref name="options"/>.</summary>
    public ConnectWiseSandboxState(ConnectWiseSandboxOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _time = time;
        _codebase = options.Codebase;
        Seed();
    }

    /// <summary>What the sandbox accepts and seeded.</summary>
    public ConnectWiseSandboxOptions Options { get; }

    /// <summary>The codebase the API is served under now ("v2025_1/"); <see cref="ChangeCodebase"/> moves it as a hosted upgrade does.</summary>
    public string Codebase
    {
        get => _codebase;
    }

    /// <summary>Whether the instance is hosted by ConnectWise: its codebase is versioned rather than "v4_6_release/".</summary>
    public bool IsCloud => !string.Equals(Codebase, OnPremiseCodebase, StringComparison.OrdinalIgnoreCase);

    /// <summary>Fault injection and the log of requests received; settable at runtime.</summary>
    public SandboxFaultInjector Faults { get; } = new();

    /// <summary>The id of the API member the keys belong to.</summary>
    public int ApiMemberId { get; private set; }

    /// <summary>Counts of what the sandbox holds, for tests and the demo.</summary>
    public int TicketCount { get { lock (_gate) { return Tickets.Rows.Count; } } }

    /// <summary>The number of configurations held.</summary>
    public int ConfigurationCount { get { lock (_gate) { return Configurations.Rows.Count; } } }

    /// <summary>
    /// Moves the API to <paramref name="codebase"/> as ConnectWise's hosted upgrades do; the former codebase then answers
    /// 302 to the new one, as "v4_6_release/" does on cloud.
    /// </summary>
    public void ChangeCodebase(string codebase)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(codebase);
        lock (_gate)
        {
            _formerCodebases.Add(_codebase);
            _codebase = codebase.Trim('/') + "/";
        }
    }

    /// <summary>Whether a request to <paramref name="codebase"/> is redirected to <see cref="Codebase"/> rather than unknown.</summary>
    internal bool RedirectsFrom(string codebase)
    {
        lock (_gate)
        {
            // Hosted ConnectWise redirects the on-premise codebase "v4_6_release/" (and former versions) to the current one.
            return (!string.Equals(_codebase, OnPremiseCodebase, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(codebase, OnPremiseCodebase, StringComparison.OrdinalIgnoreCase))
                || _formerCodebases.Contains(codebase);
        }
    }

    /// <summary>Makes every request to an API path starting with <paramref name="resource"/> (e.g. "company/configurations") answer 403.</summary>
    public void DenyPermission(string resource)
    {
        lock (_gate)
        {
            _denied = [.. _denied.Append(resource.Trim('/')).Distinct(StringComparer.OrdinalIgnoreCase)];
        }
    }

    /// <summary>Lifts every <see cref="DenyPermission"/>.</summary>
    public void AllowAll()
    {
        _denied = [];
    }

    internal bool IsDenied(string resource)
    {
        foreach (var denied in _denied)
        {
            if (resource.StartsWith(denied, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds a company (for tests: names with quotes, backslashes…) and returns its id.</summary>
    public int AddCompany(string name, string? identifier = null)
    {
        lock (_gate)
        {
            var id = Companies.NextId;
            var now = Stamp();
            Companies.Add(Row(id, 0, now, CompanyNode(id, identifier ?? $"Company{id}", name, now)));
            return id;
        }
    }

    /// <summary>Adds a configuration of a company with a ClusterID and returns its id.</summary>
    public int AddConfiguration(string name, int companyId, string clusterId)
    {
        lock (_gate)
        {
            var id = Configurations.NextId;
            var now = Stamp();
            var company = Companies.Find(companyId) ?? throw new ArgumentException($"No company {companyId}.", nameof(companyId));
            Configurations.Add(Row(id, 0, now, ConfigurationNode(id, name, company, clusterId, $"SN-{id:000000}", now)));
            return id;
        }
    }

    /// <summary>The id of the first active board, its default status and the default priority, for tests and demos.</summary>
    public (int BoardId, int StatusId, int PriorityId) Defaults()
    {
        lock (_gate)
        {
            var board = Boards.Rows[0];
            var status = Statuses.Rows.First(s => s.ParentId == board.Id && Bool(s.Node(), "defaultFlag"));
            var priority = Priorities.Rows.First(p => Bool(p.Node(), "defaultFlag"));
            return (board.Id, status.Id, priority.Id);
        }
    }

    /// <summary>A status of <paramref name="boardId"/> other than the default one, and a status of another board.</summary>
    public (int SameBoard, int OtherBoard) OtherStatuses(int boardId)
    {
        lock (_gate)
        {
            var same = Statuses.Rows.First(s => s.ParentId == boardId && !Bool(s.Node(), "defaultFlag"));
            var other = Statuses.Rows.First(s => s.ParentId != boardId);
            return (same.Id, other.Id);
        }
    }

    /// <summary>
    /// Changes a record as someone working in ConnectWise would: applies <paramref name="change"/> to its JSON and stamps
    /// lastUpdated with now, or with <paramref name="lastUpdated"/> (to simulate clock skew or late writes).
    /// <paramref name="resource"/> is the API path: "company/configurations", "service/boards/statuses", ….
    /// </summary>
    public void UpdateRecord(string resource, int id, Action<JsonObject>? change = null, DateTimeOffset? lastUpdated = null)
    {
        lock (_gate)
        {
            var row = Table(resource).Find(id) ?? throw new ArgumentException($"No {resource} record {id}.", nameof(id));
            var node = row.Node();
            change?.Invoke(node);
            AsTechnician(null, () =>
            {
                Touch(row, node, lastUpdated is { } at ? new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero) : null);
                return row;
            });
        }
    }

    /// <summary>Deletes a record, as deleting it in ConnectWise would; returns false when it did not exist.</summary>
    public bool DeleteRecord(string resource, int id)
    {
        lock (_gate)
        {
            return Table(resource).Remove(id);
        }
    }

    /// <summary>The ids of a resource's records, in id order.</summary>
    public IReadOnlyList<int> RecordIds(string resource)
    {
        lock (_gate)
        {
            return [.. Table(resource).Rows.Select(r => r.Id)];
        }
    }

    private SandboxTable Table(string resource) => resource.Trim('/').ToLowerInvariant() switch
    {
        "company/companies" => Companies,
        "company/configurations" => Configurations,
        "system/members" => Members,
        "service/boards" => Boards,
        "service/boards/statuses" => Statuses,
        "service/priorities" => Priorities,
        "service/tickets" => Tickets,
        _ => throw new ArgumentException($"The sandbox has no resource \"{resource}\".", nameof(resource)),
    };

    internal T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    internal IReadOnlyList<int> TicketConfigurationIds(int ticketId)
    {
        lock (_gate)
        {
            return _ticketConfigurations.TryGetValue(ticketId, out var list) ? [.. list] : [];
        }
    }

    /// <summary>
    /// A reference to <paramref name="row"/> with the given fields and, as ConnectWise's own, an <c>_info</c> href built on
    /// "v4_6_release/" with a double slash before the resource (a link to read, never one to follow).
    /// </summary>
    private JsonObject Reference(SandboxRow row, params string[] fields)
    {
        var node = row.ReadNode();
        var reference = new JsonObject { ["id"] = row.Id };
        foreach (var field in fields)
        {
            // Members have no name field; their references carry "First Last" as the name.
            reference[field] = field == "name" && node["name"] is null && node["firstName"] is { } first
                ? $"{first} {node["lastName"]}"
                : node[field]?.DeepClone();
        }

        if (HrefOf(row) is { } href)
        {
            reference["_info"] = new JsonObject { [href.Key] = $"https://{Options.InfoLinkHost}/v4_6_release/apis/3.0//{href.Path}" };
        }

        return reference;
    }

    private (string Key, string Path)? HrefOf(SandboxRow row) =>
        ReferenceEquals(Boards.Find(row.Id), row) ? ("board_href", $"service/boards/{row.Id}")
        : ReferenceEquals(Statuses.Find(row.Id), row) ? ("status_href", $"service/boards/{row.ParentId}/statuses/{row.Id}")
        : ReferenceEquals(Companies.Find(row.Id), row) ? ("company_href", $"company/companies/{row.Id}")
        : ReferenceEquals(Priorities.Find(row.Id), row) ? ("priority_href", $"service/priorities/{row.Id}")
        : ReferenceEquals(Members.Find(row.Id), row) ? ("member_href", $"system/members/{row.Id}")
        : null;

    /// <summary>A record's JSON as ConnectWise serves it: properties without a value are left out, never sent as null.</summary>
    internal static byte[] Serialize(JsonObject node)
    {
        WithoutNulls(node);
        return JsonSerializer.SerializeToUtf8Bytes(node, Json);
    }

    private static void WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                // By index and without LINQ: every record the sandbox stores or changes passes here, most with nothing to remove.
                List<string>? empty = null;
                for (var i = 0; i < o.Count; i++)
                {
                    var (key, value) = o.GetAt(i);
                    if (value is null)
                    {
                        (empty ??= []).Add(key);
                    }
                    else
                    {
                        WithoutNulls(value);
                    }
                }

                foreach (var key in empty ?? [])
                {
                    o.Remove(key);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    WithoutNulls(item);
                }

                break;
        }
    }

    /// <summary>Text as ConnectWise stores what the API sends: a carriage return or a line feed becomes a space (Developer Guide, Escaping Characters).</summary>
    internal static string Flatten(string text) => text.Replace('\r', ' ').Replace('\n', ' ');

    private void Touch(SandboxRow row, JsonObject node, DateTimeOffset? at = null)
    {
        var now = at ?? Stamp();
        var info = node["_info"] as JsonObject ?? [];
        info["lastUpdated"] = Iso(now);
        info["updatedBy"] = _actor ?? Options.ApiMemberIdentifier;
        node["_info"] = info;
        row.Json = Serialize(node);
        row.LastUpdated = now;
    }

    /// <summary>Now, to the second (ConnectWise's resolution), never before the previous stamp.</summary>
    private DateTimeOffset Stamp()
    {
        var now = _time.GetUtcNow();
        now = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        _lastStamp = now > _lastStamp ? now : _lastStamp;
        return _lastStamp;
    }

    private static SandboxRow Row(int id, int parentId, DateTimeOffset at, JsonObject node) =>
        new(id, parentId, at, Serialize(node)) { LastUpdated = LastUpdatedOf(node) ?? at };

    private static DateTimeOffset? LastUpdatedOf(JsonObject node) =>
        node["_info"]?["lastUpdated"]?.GetValue<string>() is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : null;

    private static int? Id(JsonNode? reference) => reference switch
    {
        JsonObject o when o["id"] is JsonValue v && v.TryGetValue<int>(out var id) => id,
        JsonValue v when v.TryGetValue<int>(out var id) => id,
        _ => null,
    };

    private static bool Bool(JsonObject node, string field) => node[field] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    internal static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Info(DateTimeOffset entered, DateTimeOffset updated, string by) => new()
    {
        ["lastUpdated"] = Iso(updated),
        ["updatedBy"] = by,
        ["dateEntered"] = Iso(entered),
        ["enteredBy"] = by,
    };
}
