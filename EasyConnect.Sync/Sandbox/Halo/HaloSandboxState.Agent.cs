using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>What an agent does in Halo's web app, for tests and demos: changes that the API did not make.</summary>
public sealed partial class HaloSandboxState
{
    /// <summary>Changes a ticket's fields as agent <paramref name="agentId"/> would in Halo's web app; answers the ticket.</summary>
    public JsonObject UpdateTicketAs(long agentId, long ticketId, JsonObject changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        changes = (JsonObject)changes.DeepClone();
        changes["id"] = ticketId;
        return UpsertTicket(changes, agentId);
    }

    /// <summary>Rewrites a ticket's details as agent <paramref name="agentId"/> would in Halo's editor, which stores HTML.</summary>
    public JsonObject EditDetailsAs(long agentId, long ticketId, string text) =>
        UpdateTicketAs(agentId, ticketId, new JsonObject { ["details_html"] = HaloSandboxHtml.FromText(text) });

    /// <summary>
    /// Adds an action to a ticket as agent <paramref name="agentId"/> would in Halo's web app: the editor writes HTML, the outcome
    /// (the tenant's name, such as "Private Note") decides whether the end user sees it unless <paramref name="hiddenFromUser"/> says.
    /// </summary>
    public JsonObject AddActionAs(long agentId, long ticketId, string text, string outcome = "Private Note", bool? hiddenFromUser = null)
    {
        var body = new JsonObject
        {
            ["ticket_id"] = ticketId,
            ["note_html"] = HaloSandboxHtml.FromText(text),
            ["outcome"] = outcome,
            ["who_agentid"] = agentId,
            ["sendemail"] = false,
        };
        if (hiddenFromUser is { } hidden)
        {
            body["hiddenfromuser"] = hidden;
        }

        lock (_gate)
        {
            return CreateAction(body, agentId, WhoAgent);
        }
    }

    /// <summary>Adds an end user's reply (an email Halo took in) to a ticket.</summary>
    public JsonObject AddUserReply(long ticketId, string userName, string text)
    {
        lock (_gate)
        {
            return CreateAction(new JsonObject
            {
                ["ticket_id"] = ticketId,
                ["note_html"] = HaloSandboxHtml.FromText(text),
                ["outcome"] = "Email User",
                ["hiddenfromuser"] = false,
                ["who"] = userName,
            }, 0, WhoUser);
        }
    }
}
