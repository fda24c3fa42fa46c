using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>What a Halo administrator sets up: agents, teams, clients and their sites, assets, statuses, SLAs and their priorities.</summary>
public sealed partial class HaloSandboxState
{
    /// <summary>The asset custom field that carries the portal's ClusterID: Halo names custom fields CF…, the label is what people see.</summary>
    public const string ClusterIdFieldName = "CFClusterID", ClusterIdFieldLabel = "ClusterID";

    /// <summary>The id of the ClusterID custom field.</summary>
    public const int ClusterIdFieldId = 171;

    /// <summary>The priority a ticket gets within its SLA when it names none.</summary>
    public const long DefaultPriorityId = 3;

    private static readonly string[] AssetTypes = ["Server", "Firewall", "Workstation", "NAS", "Switch"];

    /// <summary>Adds an enabled agent in <paramref name="team"/> (the default team when null) and returns its id.</summary>
    public long AddAgent(string firstName, string lastName, string email, string? team = null, bool apiAgent = false)
    {
        lock (_gate)
        {
            return InsertAgent(firstName, lastName, email, team ?? DefaultTeam, apiAgent, disabled: false, Stamp());
        }
    }

    /// <summary>Disables or enables an agent.</summary>
    public void SetAgentDisabled(long agentId, bool disabled)
    {
        lock (_gate)
        {
            var agent = Existing(Agents, agentId);
            agent["isdisabled"] = disabled;
            Touch(Agents, agent, Stamp());
        }
    }

    /// <summary>Adds an active client with a main site under SLA <paramref name="slaId"/> (the first SLA when null) and returns its id.</summary>
    public long AddClient(string name, long? slaId = null)
    {
        lock (_gate)
        {
            return InsertClient(name, slaId ?? Table(Slas).Keys[0], inactive: false, Stamp());
        }
    }

    /// <summary>Adds an active asset of a client whose ClusterID custom field is <paramref name="clusterId"/> and returns its id.</summary>
    public long AddAsset(string keyField, long clientId, string clusterId, string? inventoryNumber = null)
    {
        lock (_gate)
        {
            if (!Table(Clients).ContainsKey(clientId))
            {
                throw new HaloSandboxError(400, $"Client {clientId} does not exist.");
            }

            return InsertAsset(keyField, inventoryNumber ?? $"INV{_nextIds[Assets]:00000}", clientId, 0, clusterId, inactive: false, Stamp());
        }
    }

    /// <summary>Adds a status after the others (by sequence) and returns its id (<paramref name="id"/> when given, as Halo's fixed ids are).</summary>
    public long AddStatus(string name, long? id = null)
    {
        lock (_gate)
        {
            var sequence = Table(Statuses).Values.Select(s => Long(s.Node["sequence"]) ?? 0).DefaultIfEmpty().Max() + 1;
            return InsertStatus(id, name, (int)sequence);
        }
    }

    /// <summary>The SLA of a client: the SLA of its main site.</summary>
    public long SlaOfClient(long clientId)
    {
        lock (_gate)
        {
            var client = Existing(Clients, clientId);
            return Long(Existing(Sites, Long(client["main_site_id"])!.Value)["sla_id"])!.Value;
        }
    }

    /// <summary>
    /// Puts a client's main site under another SLA, as an administrator does on the site: the client's record does not change (Halo keeps
    /// the SLA on the site), and the client's new tickets take that SLA.
    /// </summary>
    public void SetClientSla(long clientId, long slaId)
    {
        lock (_gate)
        {
            if (!Table(Slas).ContainsKey(slaId))
            {
                throw new HaloSandboxError(400, $"SLA {slaId} does not exist.");
            }

            var site = Existing(Sites, Long(Existing(Clients, clientId)["main_site_id"])!.Value);
            site["sla_id"] = slaId;
            Touch(Sites, site, Stamp());
        }
    }

    private long InsertAgent(string firstName, string lastName, string email, string team, bool apiAgent, bool disabled, DateTimeOffset at)
    {
        var teamNode = Table(Teams).Values.Select(t => t.Node).First(t => string.Equals(Text(t["name"]), team, StringComparison.OrdinalIgnoreCase));
        var id = _nextIds[Agents];
        return Insert(Agents, new JsonObject
        {
            ["name"] = $"{firstName} {lastName}",
            ["firstname"] = firstName,
            ["surname"] = lastName,
            ["initials"] = $"{firstName[..1]}{lastName[..1]}",
            ["email"] = email,
            ["isdisabled"] = disabled,
            ["isapiagent"] = apiAgent,
            ["team"] = Text(teamNode["name"]),
            ["teams"] = new JsonArray(new JsonObject
            {
                ["agent_id"] = id,
                ["team_id"] = Long(teamNode["id"]),
                ["team_name"] = Text(teamNode["name"]),
                ["agent_name"] = $"{firstName} {lastName}",
            }),
            ["use"] = "agent",
        }, at, TimeSpan.Zero);
    }

    private long InsertClient(string name, long slaId, bool inactive, DateTimeOffset at)
    {
        var clientId = _nextIds[Clients];
        var siteId = Insert(Sites, new JsonObject
        {
            ["name"] = "Main",
            ["client_id"] = clientId,
            ["client_name"] = name,
            ["sla_id"] = slaId,
            ["inactive"] = false,
        }, at, TimeSpan.Zero);
        return Insert(Clients, new JsonObject
        {
            ["name"] = name,
            ["inactive"] = inactive,
            ["toplevel_id"] = 1,
            ["toplevel_name"] = "Customers",
            ["main_site_id"] = siteId,
            ["main_site_name"] = "Main",
            ["colour"] = "#2f6fb4",
            ["datecreated"] = Iso(at),
            ["customfields"] = new JsonArray(),
        }, at, TimeSpan.Zero);
    }

    private long InsertAsset(string keyField, string inventoryNumber, long clientId, int kind, string clusterId, bool inactive, DateTimeOffset at)
    {
        var client = Table(Clients)[clientId].Node;
        return Insert(Assets, new JsonObject
        {
            ["inventory_number"] = inventoryNumber,
            ["key_field"] = keyField,
            ["key_field2"] = $"SN{(_nextIds[Assets] * 7919 % 1_000_000):000000}",
            ["key_field3"] = null,
            ["client_id"] = clientId,
            ["client_name"] = Text(client["name"]),
            ["site_id"] = Long(client["main_site_id"]),
            ["site_name"] = Text(client["main_site_name"]),
            ["assettype_id"] = kind + 1,
            ["assettype_name"] = AssetTypes[kind % AssetTypes.Length],
            ["inactive"] = inactive,
            ["fields"] = new JsonArray(new JsonObject { ["id"] = 1, ["name"] = "Serial Number", ["value"] = $"SN{(_nextIds[Assets] * 7919 % 1_000_000):000000}" }),
            ["customfields"] = new JsonArray(new JsonObject
            {
                ["id"] = ClusterIdFieldId,
                ["name"] = ClusterIdFieldName,
                ["label"] = ClusterIdFieldLabel,
                ["type"] = 0,
                ["value"] = clusterId,
                ["display"] = clusterId,
                ["searchable"] = true,
            }),
        }, at, TimeSpan.Zero);
    }

    private long InsertStatus(long? id, string name, int sequence)
    {
        var next = _nextIds[Statuses];
        if (id is { } fixedId)
        {
            if (Table(Statuses).ContainsKey(fixedId))
            {
                throw new HaloSandboxError(400, $"Status {fixedId} already exists.");
            }

            _nextIds[Statuses] = fixedId;
        }

        var statusId = Insert(Statuses, new JsonObject
        {
            ["name"] = name,
            ["shortname"] = name.Length > 4 ? name[..4].ToUpperInvariant() : name.ToUpperInvariant(),
            // Halo's TStatus.type: 1 for Closed, 0 for the rest in the sandbox's reading.
            ["type"] = string.Equals(name, "Closed", StringComparison.OrdinalIgnoreCase) ? 1 : 0,
            ["sequence"] = sequence,
            ["colour"] = "#5f7d95",
        }, _lastStamp, TimeSpan.Zero);
        _nextIds[Statuses] = Math.Max(next, statusId + 1);
        return statusId;
    }

    private long InsertSla(string name, params string[] priorities)
    {
        var slaId = Insert(Slas, new JsonObject { ["name"] = name }, _lastStamp, TimeSpan.Zero);
        for (var i = 0; i < priorities.Length; i++)
        {
            var policy = NextId(Priorities);
            Table(Priorities)[policy] = new Stored(new JsonObject(NodeOptions)
            {
                // Policy.id is a string in Halo's schema; the priority a ticket names is priorityid within its SLA.
                ["id"] = policy.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["slaid"] = slaId,
                ["priorityid"] = i + 1,
                ["name"] = priorities[i],
                ["ishidden"] = false,
                ["colour"] = i == 0 ? "#d32f2f" : i == 1 ? "#f57c00" : i == 2 ? "#fbc02d" : "#388e3c",
                ["fixtime"] = (i + 1) * 4,
                ["fixunits"] = "h",
                ["responsetime"] = (i + 1) * 0.5,
                ["responseunits"] = "h",
            }, DateTimeOffset.MinValue);
        }

        return slaId;
    }
}
