using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>Records as Halo's API answers them: a ticket carries the names of what it refers to beside their ids.</summary>
public sealed partial class HaloSandboxState
{
    /// <summary>A copy of a ticket with its status, priority, SLA, client, site and agent names filled in.</summary>
    internal JsonObject PresentTicket(JsonObject ticket)
    {
        lock (_gate)
        {
            var slaId = Long(ticket["sla_id"]) ?? 0;
            ticket["status_name"] = StatusName(Long(ticket["status_id"]));
            ticket["priority_name"] = PolicyOf(slaId, Long(ticket["priority_id"]))?["name"]?.DeepClone();
            ticket["sla_name"] = Table(Slas).TryGetValue(slaId, out var sla) ? Text(sla.Node["name"]) : null;
            ticket["client_name"] = Long(ticket["client_id"]) is { } c && Table(Clients).TryGetValue(c, out var client) ? Text(client.Node["name"]) : null;
            ticket["site_name"] = Long(ticket["site_id"]) is { } s && Table(Sites).TryGetValue(s, out var site) ? Text(site.Node["name"]) : null;
            ticket["agent_name"] = Long(ticket["agent_id"]) is { } a && Table(Agents).TryGetValue(a, out var agent) ? Text(agent.Node["name"]) : null;
            return ticket;
        }
    }

    /// <summary>The SLAs, in id order.</summary>
    internal List<JsonObject> SlaList() => Listed(Slas);
}
