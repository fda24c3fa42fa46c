using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>The sandbox's demo data: teams, statuses, SLAs with their priorities, outcomes, agents, clients, assets, tickets and actions.</summary>
public sealed partial class HaloSandboxState
{
    private static readonly string[] FirstNames = ["Ava", "Liam", "Noah", "Emma", "Olivia", "Mason", "Sophia", "Lucas", "Mia", "Ethan", "Isla", "Aria", "Leo"];
    private static readonly string[] LastNames = ["Nguyen", "Smith", "Garcia", "Okafor", "Schmidt", "Rossi", "Tanaka", "Kowalski", "Dubois", "Haddad"];
    private static readonly string[] ClientWords = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Wingtip", "Adatum", "Litware", "Proseware", "Lucerne", "Alpine"];
    private static readonly string[] ClientKinds = ["Dental", "Logistics", "Legal LLP", "Bakery", "Architects", "Clinic", "Motors", "Accounting"];
    private static readonly string[] Problems =
    [
        "Printer on the second floor is offline", "VPN drops every few minutes", "New starter needs a laptop", "Backup job failed overnight",
        "Outlook keeps asking for a password", "Firewall firmware update", "Shared drive is nearly full",
    ];

    private void Seed()
    {
        var epoch = Options.SeedEpoch ?? new DateTimeOffset(_time.GetUtcNow().UtcDateTime.Date.AddDays(-30), TimeSpan.Zero);
        _lastStamp = epoch;
        _nextIds[Tickets] = 2_001;
        _nextIds[Actions] = 10_001;
        _nextIds[Clients] = 12;

        foreach (var (name, inactive) in new[] { ("Service Desk", false), ("Second Line", false), ("Projects", false), ("Old Helpdesk", true) })
        {
            Insert(Teams, new JsonObject { ["name"] = name, ["sequence"] = _nextIds[Teams], ["inactive"] = inactive, ["forrequests"] = true, ["department_id"] = 1, ["department_name"] = "Support" }, epoch, TimeSpan.Zero);
        }

        DefaultTeam = "Service Desk";

        // Halo's own status ids: 1 New, 2 In Progress and 9 Closed are fixed; the tenant adds the others.
        InsertStatus(1, "New", 1);
        InsertStatus(2, "In Progress", 2);
        InsertStatus(3, "Waiting on User", 3);
        InsertStatus(4, "On Hold", 4);
        InsertStatus(8, "Resolved", 5);
        InsertStatus(9, "Closed", 6);

        // Each SLA has its own priorities, named by the tenant; a ticket's priority_id is a priorityid within its SLA.
        InsertSla("Standard SLA", "Critical", "High", "Medium", "Low");
        var gold = InsertSla("Gold Support", "P1 - Urgent", "P2 - High", "P3 - Normal", "P4 - Low", "P5 - Legacy");
        foreach (var policy in Table(Priorities).Values.Select(p => p.Node).Where(p => Long(p["slaid"]) == gold && Long(p["priorityid"]) == 5))
        {
            policy["ishidden"] = true;
        }

        // Outcomes are the tenant's: this one calls its private action "Private Note".
        foreach (var (name, hidden) in new[] { ("Private Note", true), ("Email User", false), ("Note", false), ("Status Change", true) })
        {
            Insert(Outcomes, new JsonObject { ["name"] = name, ["defaulthidden"] = hidden }, epoch, TimeSpan.Zero);
        }

        ApiAgentId = InsertAgent("EasyConnect", "API", "easyconnect-api@msp.example", DefaultTeam, apiAgent: true, disabled: false, epoch);
        var agents = new List<long>();
        for (var i = 0; i < Options.Agents; i++)
        {
            var first = FirstNames[i % FirstNames.Length];
            var last = LastNames[i % LastNames.Length];
            var clash = i >= FirstNames.Length * LastNames.Length ? $"{i}" : "";
            var team = i % 4 == 3 ? "Second Line" : DefaultTeam;
            var id = InsertAgent(first, last, $"{first}.{last}{clash}@msp.example".ToLowerInvariant(), team, apiAgent: false, disabled: i % 7 == 6, epoch);
            if (i % 7 != 6)
            {
                agents.Add(id);
            }
        }

        var clients = new List<long>();
        for (var i = 0; i < Options.Clients; i++)
        {
            var name = $"{ClientWords[i % ClientWords.Length]} {ClientKinds[i / ClientWords.Length % ClientKinds.Length]}{(i >= ClientWords.Length * ClientKinds.Length ? $" {i}" : "")}";
            clients.Add(InsertClient(name, i % 3 == 2 ? gold : Table(Slas).Keys[0], inactive: i % 11 == 10, epoch.AddMinutes(i)));
        }

        for (var i = 0; i < Options.Assets; i++)
        {
            var kind = i % AssetTypes.Length;
            InsertAsset($"{AssetTypes[kind].ToUpperInvariant()}-{i + 1:0000}", $"INV{i + 1:00000}", clients[i % clients.Count], kind, $"CL-{i + 1:000000}",
                inactive: false, epoch.AddMinutes(i % 1440).AddSeconds(i / 1440));
        }

        for (var i = 0; i < Options.Tickets; i++)
        {
            SeedTicket(i, epoch.AddHours(i), clients[i % clients.Count], agents.Count == 0 ? ApiAgentId : agents[i % agents.Count]);
        }
    }

    private void SeedTicket(int i, DateTimeOffset at, long clientId, long agentId)
    {
        var client = Table(Clients)[clientId].Node;
        var site = Table(Sites)[Long(client["main_site_id"])!.Value].Node;
        var problem = Problems[i % Problems.Length];
        var html = $"<p>{problem}.</p><p>Reported by <b>{LastNames[i % LastNames.Length]}</b> from reception.</p>";
        var ticketId = Insert(Tickets, new JsonObject
        {
            ["summary"] = problem,
            ["details"] = html,
            ["details_html"] = html,
            ["status_id"] = i % 3 == 0 ? 1 : 2,
            ["priority_id"] = 2 + (i % 3),
            ["sla_id"] = Long(site["sla_id"]),
            ["client_id"] = clientId,
            ["site_id"] = Long(site["id"]),
            ["user_id"] = 0,
            ["user_name"] = $"{FirstNames[(i + 5) % FirstNames.Length]} {LastNames[(i + 3) % LastNames.Length]}",
            ["agent_id"] = agentId,
            ["team"] = DefaultTeam,
            ["tickettype_id"] = 1,
            ["dateoccurred"] = Iso(at),
            ["datecreated"] = Iso(at),
            ["lastactiondate"] = Iso(at.AddMinutes(20)),
            ["client_reference"] = null,
            ["deleted"] = false,
            ["assets"] = new JsonArray(),
            ["customfields"] = new JsonArray(),
        }, at.AddMinutes(20), TimeSpan.Zero);
        var agentName = Text(Table(Agents)[agentId].Node["name"]);
        SeedAction(ticketId, at.AddMinutes(5), "Email User", false, "<p>Hello,</p><p>we are looking into it and will call you shortly.</p>", agentId, agentName, WhoAgent);
        SeedAction(ticketId, at.AddMinutes(10), "Private Note", true, "<p>Checked the switch port: <i>no link light</i>.</p>", agentId, agentName, WhoAgent);
        if (i % 2 == 0)
        {
            SeedAction(ticketId, at.AddMinutes(20), "Email User", false, "<p>Thanks, it works again.</p>", 0, Text(Table(Tickets)[ticketId].Node["user_name"]), WhoUser);
        }
    }

    private void SeedAction(long ticketId, DateTimeOffset at, string outcome, bool hidden, string html, long agentId, string? who, int whoType)
    {
        var outcomeNode = Table(Outcomes).Values.Select(o => o.Node).First(o => Text(o["name"]) == outcome);
        Insert(Actions, new JsonObject
        {
            ["ticket_id"] = ticketId,
            ["outcome"] = outcome,
            ["outcome_id"] = Long(outcomeNode["id"]),
            ["note"] = HaloSandboxHtml.ToText(html),
            ["note_html"] = html,
            ["hiddenfromuser"] = hidden,
            ["sendemail"] = false,
            ["important"] = false,
            ["who"] = who,
            ["who_type"] = whoType,
            ["who_agentid"] = whoType == WhoAgent ? agentId : 0,
            ["actionby_agent_id"] = whoType == WhoAgent ? agentId : 0,
            ["datetime"] = Iso(at),
            ["actiondatecreated"] = Iso(at),
        }, at, TimeSpan.Zero);
    }
}
