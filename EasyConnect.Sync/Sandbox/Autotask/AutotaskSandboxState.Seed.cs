using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.Autotask;

/// <summary>The sandbox's demo data: picklists, resources, companies, configuration items, tickets and notes.</summary>
public sealed partial class AutotaskSandboxState
{
    private static readonly string[] FirstNames = ["Ava", "Liam", "Noah", "Emma", "Olivia", "Mason", "Sophia", "Lucas", "Mia", "Ethan", "Isla", "Aria", "Leo"];
    private static readonly string[] LastNames = ["Nguyen", "Smith", "Garcia", "Okafor", "Schmidt", "Rossi", "Tanaka", "Kowalski", "Dubois", "Haddad"];
    private static readonly string[] CompanyWords = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Wingtip", "Adatum", "Litware", "Proseware", "Lucerne", "Alpine"];
    private static readonly string[] CompanyKinds = ["Dental", "Logistics", "Legal LLP", "Bakery", "Architects", "Clinic", "Motors", "Accounting"];
    private static readonly string[] DeviceKinds = ["Server", "Firewall", "Workstation", "NAS", "Switch"];

    private void Seed()
    {
        var epoch = Options.SeedEpoch ?? new DateTimeOffset(_time.GetUtcNow().UtcDateTime.Date.AddDays(-30), TimeSpan.Zero);
        _lastStamp = epoch;
        _nextIds[Tickets] = 7_000;
        _nextIds[TicketNotes] = 30_000_000;
        _nextIds[Resources] = 29_682_885;
        _nextIds[Companies] = 174;
        _nextIds[ConfigurationItems] = 1_000;
        _nextIds[DeletedTicketLogs] = 1;
        SeedPicklists();

        ApiResourceId = Add(Resources, epoch, new JsonObject
        {
            ["firstName"] = "EasyConnect",
            ["lastName"] = "API",
            ["userName"] = Options.UserName,
            ["email"] = Options.UserName,
            ["email2"] = null,
            ["email3"] = null,
            ["isActive"] = true,
            ["resourceType"] = "Employee",
            ["licenseType"] = 7,
        });
        var resources = new List<long>();
        for (var i = 0; i < Options.Resources; i++)
        {
            var first = FirstNames[i % FirstNames.Length];
            var last = LastNames[i * 7 % LastNames.Length];
            var user = $"{first}.{last}{i}".ToLowerInvariant();
            resources.Add(Add(Resources, epoch, new JsonObject
            {
                ["firstName"] = first,
                ["lastName"] = last,
                ["userName"] = user,
                ["email"] = $"{user}@msp.example.com",
                ["email2"] = i % 3 == 0 ? $"{first.ToLowerInvariant()}@personal.example.com" : null,
                ["email3"] = i % 5 == 0 ? $"{user}@old-msp.example.com" : null,
                ["isActive"] = i % 7 != 6,
                ["resourceType"] = "Employee",
                ["licenseType"] = 1,
            }));
        }

        var companies = new List<long>();
        for (var i = 0; i < Options.Companies; i++)
        {
            var at = epoch.AddMinutes(i);
            companies.Add(Add(Companies, at, new JsonObject
            {
                ["companyName"] = $"{CompanyWords[i % CompanyWords.Length]} {CompanyKinds[i / CompanyWords.Length % CompanyKinds.Length]}{(i >= CompanyWords.Length * CompanyKinds.Length ? $" {i}" : "")}",
                ["companyNumber"] = $"C{1000 + i}",
                ["companyType"] = 1,
                ["isActive"] = i % 11 != 10,
                ["parentCompanyID"] = null,
                ["ownerResourceID"] = resources[i % resources.Count],
            }));
        }

        for (var i = 0; i < Options.ConfigurationItems; i++)
        {
            var at = epoch.AddMinutes(i % 1440).AddSeconds(i / 1440);
            var kind = DeviceKinds[i % DeviceKinds.Length];
            Add(ConfigurationItems, at, new JsonObject
            {
                ["companyID"] = companies[i % companies.Count],
                ["configurationItemType"] = 1 + (i % DeviceKinds.Length),
                ["configurationItemCategoryID"] = 1,
                ["productID"] = 200 + (i % DeviceKinds.Length),
                ["referenceTitle"] = $"{kind}-{i:0000}",
                ["referenceNumber"] = $"REF{i:00000}",
                ["serialNumber"] = $"SN{(i * 7919 % 1_000_000):000000}{(char)('A' + (i % 26))}",
                ["isActive"] = i % 9 != 8,
                ["installDate"] = Iso(epoch.AddDays(-100 + i % 90)),
                ["rmmDeviceUID"] = i % 4 == 0 ? $"{i * 2_654_435_761L % 0xFFFFFFFF:x8}-rmm" : null,
                ["userDefinedFields"] = new JsonArray(
                    new JsonObject { ["name"] = ClusterIdField, ["value"] = $"CL-{i + 1:000000}" },
                    new JsonObject { ["name"] = AssetTagField, ["value"] = i % 3 == 2 ? null : $"AT-{i + 1:00000}" }),
            });
        }

        for (var i = 0; i < Options.Tickets; i++)
        {
            var at = epoch.AddHours(i);
            var ticket = Add(Tickets, at, new JsonObject
            {
                ["ticketNumber"] = $"T{at:yyyyMMdd}.{i + 1:0000}",
                ["title"] = $"Seeded ticket {i + 1}",
                ["description"] = $"Printer on floor {i + 1} is offline.",
                ["status"] = i % 2 == 0 ? 1 : 8,
                ["priority"] = 1 + (i % 3),
                ["queueID"] = 29_682_833,
                ["ticketType"] = 1,
                ["source"] = 4,
                ["companyID"] = companies[i % companies.Count],
                ["contactID"] = null,
                ["configurationItemID"] = null,
                ["assignedResourceID"] = null,
                ["assignedResourceRoleID"] = null,
                ["creatorResourceID"] = resources[i % resources.Count],
                ["lastActivityResourceID"] = resources[i % resources.Count],
                ["lastCustomerVisibleActivityDateTime"] = Iso(at),
            });
            Add(TicketNotes, at.AddMinutes(5), new JsonObject
            {
                ["ticketID"] = ticket,
                ["title"] = "Called the customer",
                ["description"] = "Asked them to power-cycle the printer.",
                ["noteType"] = 1,
                ["publish"] = i % 2 == 0 ? 1 : 2,
                ["creatorResourceID"] = resources[i % resources.Count],
                ["createdByContactID"] = null,
                ["impersonatorCreatorResourceID"] = null,
            });
        }
    }

    private void SeedPicklists()
    {
        // Labels are the tenant's own (customised), as Autotask lets each database rename them.
        _picklists[(Tickets, "priority")] =
        [
            new("4", "P1 - Critical (tenant)", true, false, 1), new("1", "P2 - High", true, false, 2), new("2", "P3 - Medium", true, true, 3),
            new("3", "P4 - Low", true, false, 4), new("5", "Legacy Urgent", false, false, 5),
        ];
        _picklists[(Tickets, "status")] =
        [
            new("1", "New", true, true, 1), new("8", "In Progress", true, false, 2), new("7", "Waiting Customer", true, false, 3),
            new("12", "Escalated (retired)", false, false, 4), new("5", "Complete", true, false, 5),
        ];
        _picklists[(Tickets, "queueID")] =
        [
            new("29682833", "Client Portal", true, true, 1), new("29682969", "Level I Support", true, false, 2),
            new("29683354", "Monitoring Alert", true, false, 3), new("29683400", "Old Helpdesk", false, false, 4),
        ];
        // Sub-issue types belong to an issue type: each value names its parent in parentValue (the field's picklistParentValueField).
        _picklists[(Tickets, "issueType")] =
        [
            new("1", "Hardware", true, false, 1), new("2", "Software", true, false, 2), new("3", "Network", true, false, 3),
        ];
        _picklists[(Tickets, "subIssueType")] =
        [
            new("11", "Printer", true, false, 1, "1"), new("12", "Laptop", true, false, 2, "1"), new("21", "Email", true, false, 3, "2"),
            new("22", "Line-of-business app", true, false, 4, "2"), new("31", "VPN", true, false, 5, "3"), new("32", "Wi-Fi (retired)", false, false, 6, "3"),
        ];
        _picklists[(TicketNotes, "noteType")] =
        [
            new("1", "Task Summary", true, true, 1), new("2", "Task Detail", true, false, 2), new("3", "Task Notes", true, false, 3),
            new("13", "Workflow Rule Action Note (old)", false, false, 4),
        ];
        _picklists[(TicketNotes, "publish")] =
        [
            new("1", "All Autotask Users", true, true, 1), new("2", "Internal Project Team", true, false, 2), new("4", "Internal & Co-Managed", true, false, 3),
        ];
    }

    private long Add(string entity, DateTimeOffset at, JsonObject fields)
    {
        var id = NextId(entity);
        var node = new JsonObject(NodeOptions) { ["id"] = id };
        foreach (var (key, value) in fields)
        {
            node[key] = value?.DeepClone();
        }

        if (entity != Resources)
        {
            node[entity == TicketNotes ? "createDateTime" : "createDate"] = Iso(at);
        }
        foreach (var stamp in Stamps[entity])
        {
            node[stamp] = Iso(at);
        }

        _tables[entity][id] = new Stored(node, DateTimeOffset.MinValue);
        return id;
    }
}
