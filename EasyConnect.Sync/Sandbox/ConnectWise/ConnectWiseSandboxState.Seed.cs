using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.ConnectWise;

/// <summary>The sandbox's demo data: boards, statuses, priorities, members, companies, configurations and tickets.</summary>
public sealed partial class ConnectWiseSandboxState
{
    private static readonly string[] FirstNames = ["Ava", "Liam", "Noah", "Emma", "Olivia", "Mason", "Sophia", "Lucas", "Mia", "Ethan", "Isla", "Aria", "Leo", "Zoe", "Ivy"];
    private static readonly string[] LastNames = ["Nguyen", "Smith", "Garcia", "Okafor", "Schmidt", "Rossi", "Tanaka", "Kowalski", "Dubois", "Haddad", "Larsen", "Murphy"];
    private static readonly string[] CompanyWords = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Wingtip", "Adatum", "Litware", "Proseware", "Lucerne", "Margie's", "Alpine", "Bluebird"];
    private static readonly string[] CompanyKinds = ["Dental", "Logistics", "Legal LLP", "Bakery", "Architects", "Clinic", "Motors", "Accounting", "Realty", "Foods"];
    private static readonly string[] DeviceKinds = ["Server", "Firewall", "Workstation", "NAS", "Switch", "Hypervisor Host"];
    private static readonly (string Name, bool Closed, bool Inactive, bool Default)[] StatusTemplates =
    [
        ("New", false, false, true), ("In Progress", false, false, false), ("Waiting on Customer", false, false, false),
        ("Scheduled", false, false, false), ("Resolved", true, false, false), ("Closed", true, false, false), ("Escalated (old)", false, true, false),
    ];
    private static readonly (string Name, string Color, string Level, bool Default)[] PriorityTemplates =
    [
        ("Priority 1 - Emergency Response", "Red", "Critical", false), ("Priority 2 - Quick Response", "Orange", "High", false),
        ("Priority 3 - Normal Response", "Yellow", "Medium", true), ("Priority 4 - Schedule Maintenance", "Green", "Low", false),
        ("Do Not Respond", "Gray", "Low", false),
    ];

    private JsonObject CompanyNode(int id, string identifier, string name, DateTimeOffset at) => new()
    {
        ["id"] = id,
        ["identifier"] = identifier,
        ["name"] = name,
        ["status"] = new JsonObject { ["id"] = 1, ["name"] = "Active" },
        ["addressLine1"] = $"{100 + id} Main Street",
        ["city"] = "Springfield",
        ["state"] = "IL",
        ["zip"] = "62701",
        ["phoneNumber"] = $"555{id:0000000}",
        ["website"] = $"www.{identifier.ToLowerInvariant()}.example",
        ["types"] = new JsonArray(new JsonObject { ["id"] = 1, ["name"] = "Client" }),
        ["deletedFlag"] = false,
        ["_info"] = Info(at, at, "admin1"),
    };

    private JsonObject ConfigurationNode(int id, string name, SandboxRow company, string clusterId, string serial, DateTimeOffset at) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["type"] = new JsonObject { ["id"] = 1, ["name"] = "Managed Server" },
        ["status"] = new JsonObject { ["id"] = 1, ["name"] = "Active" },
        ["company"] = Reference(company, "identifier", "name"),
        ["serialNumber"] = serial,
        ["tagNumber"] = $"TAG-{id:000000}",
        ["activeFlag"] = true,
        ["questions"] = new JsonArray(new JsonObject { ["answerId"] = id, ["questionId"] = 1, ["question"] = "ClusterID", ["answer"] = clusterId, ["sequenceNumber"] = 1, ["numberOfDecimals"] = 0, ["fieldType"] = "Text", ["requiredFlag"] = false }),
        ["customFields"] = new JsonArray(new JsonObject { ["id"] = 1, ["caption"] = "ClusterID", ["type"] = "Text", ["entryMethod"] = "EntryField", ["numberOfDecimals"] = 0, ["value"] = clusterId }),
        ["_info"] = Info(at, at, "admin1"),
    };

    private void Seed()
    {
        var random = new Random(Options.Seed);
        var epoch = Options.SeedEpoch ?? _time.GetUtcNow().AddDays(-30);
        epoch = new DateTimeOffset(epoch.UtcTicks - (epoch.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var second = 0;
        DateTimeOffset Next(int share = 1) => epoch.AddSeconds(second++ / share);

        foreach (var (name, location) in new[] { ("Service Desk", "Main"), ("Network Operations", "Main"), ("Projects - Onboarding", "Remote"), ("Legacy Helpdesk", "Main") })
        {
            var id = Boards.NextId;
            var at = Next();
            Boards.Add(Row(id, 0, at, new JsonObject
            {
                ["id"] = id,
                ["name"] = name,
                ["location"] = new JsonObject { ["id"] = 1, ["name"] = location },
                ["department"] = new JsonObject { ["id"] = 1, ["identifier"] = "Services", ["name"] = "Services" },
                ["inactiveFlag"] = name.StartsWith("Legacy", StringComparison.Ordinal),
                ["projectFlag"] = false,
                ["_info"] = Info(at, at, "admin1"),
            }));
            var sort = 0;
            foreach (var (statusName, closed, inactive, isDefault) in StatusTemplates)
            {
                var statusId = Statuses.NextId;
                var statusAt = Next();
                Statuses.Add(Row(statusId, id, statusAt, new JsonObject
                {
                    ["id"] = statusId,
                    ["name"] = statusName,
                    ["board"] = new JsonObject { ["id"] = id, ["name"] = name },
                    ["sortOrder"] = sort++,
                    ["displayOnBoard"] = !closed,
                    ["inactive"] = inactive,
                    ["closedStatus"] = closed,
                    ["timeEntryNotAllowed"] = false,
                    ["defaultFlag"] = isDefault,
                    ["escalationStatus"] = closed ? "Resolved" : "NotResponded",
                    ["customerPortalFlag"] = false,
                    ["_info"] = Info(statusAt, statusAt, "admin1"),
                }));
            }
        }

        var prioritySort = 1;
        foreach (var (name, color, level, isDefault) in PriorityTemplates)
        {
            var id = Priorities.NextId;
            var at = Next();
            Priorities.Add(Row(id, 0, at, new JsonObject
            {
                ["id"] = id,
                ["name"] = name,
                ["color"] = color,
                ["sortOrder"] = prioritySort++,
                ["defaultFlag"] = isDefault,
                ["level"] = level,
                ["_info"] = Info(at, at, "admin1"),
            }));
        }

        ApiMemberId = Members.NextId;
        AddMember(Options.ApiMemberIdentifier, "EasyConnect", "Integration", "easyconnect-api@msp.example", "A", inactive: false, Next());
        for (var i = 0; i < Options.Members; i++)
        {
            var first = FirstNames[i % FirstNames.Length];
            var last = LastNames[(i / FirstNames.Length + i) % LastNames.Length];
            var suffix = i < FirstNames.Length ? "" : (i / FirstNames.Length).ToString(CultureInfo.InvariantCulture);
            AddMember($"{first[0]}{last}{suffix}".ToLowerInvariant(), first, last, $"{first}.{last}{suffix}@msp.example".ToLowerInvariant(), "F",
                inactive: i % 7 == 6, Next());
        }

        for (var i = 0; i < Options.Companies; i++)
        {
            var id = Companies.NextId;
            var word = CompanyWords[i % CompanyWords.Length];
            var kind = CompanyKinds[(i / CompanyWords.Length + i) % CompanyKinds.Length];
            var round = i < CompanyWords.Length ? "" : $" {i / CompanyWords.Length + 1}";
            var name = $"{word} {kind}{round}";
            var identifier = new string($"{word}{kind}{round}".Where(char.IsLetterOrDigit).ToArray());
            Companies.Add(Row(id, 0, Next(), CompanyNode(id, identifier, name, Next())));
        }

        // Configurations share a lastUpdated second three at a time, as bulk edits do, so ordering must break ties by id.
        for (var i = 0; i < Options.Configurations; i++)
        {
            var id = Configurations.NextId;
            var company = Companies.Rows[i % Companies.Rows.Count];
            var cluster = $"CL-{i + 1:000000}";
            var device = DeviceKinds[random.Next(DeviceKinds.Length)];
            var at = epoch.AddSeconds(second + i / 3);
            Configurations.Add(Row(id, 0, at, ConfigurationNode(id, $"{cluster} {device}", company, cluster, $"SN{random.Next(100_000, 999_999)}-{id}", at)));
        }

        second += Options.Configurations / 3 + 1;
        for (var i = 0; i < Options.Tickets; i++)
        {
            var company = Companies.Rows[i % Companies.Rows.Count];
            var board = Boards.Rows[i % 2 == 0 ? 0 : 1];
            var status = Statuses.Rows.Where(s => s.ParentId == board.Id).ElementAt(random.Next(3));
            var priority = Priorities.Rows[random.Next(4)];
            var at = Next();
            var id = Tickets.NextId;
            var ticket = new JsonObject { ["id"] = id, ["summary"] = $"Demo: {DeviceKinds[i % DeviceKinds.Length]} alert at {company.Node()["name"]}" };
            ticket["recordType"] = "ServiceTicket";
            SetTicketReferences(ticket, board, status, priority, company);
            ticket["closedFlag"] = false;
            ticket["_info"] = Info(at, at, "admin1");
            Tickets.Add(Row(id, 0, at, ticket));
            var member = Members.Rows[Members.Rows.Count == 1 ? 0 : 1 + i % (Members.Rows.Count - 1)];
            AddNoteCore(id, $"Monitoring reported a problem with a {DeviceKinds[i % DeviceKinds.Length].ToLowerInvariant()}.", true, false, false, member.Id, at);
            AddNoteCore(id, "Checked the event log; looking into it.", false, true, false, member.Id, Next());
        }

        _lastStamp = epoch.AddSeconds(second);
    }

    /// <summary>Adds an active technician (a full member) with this primary email and returns the member's id.</summary>
    public int AddTechnician(string firstName, string lastName, string email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(firstName);
        ArgumentException.ThrowIfNullOrWhiteSpace(lastName);
        lock (_gate)
        {
            var id = Members.NextId;
            AddMember($"{firstName[0]}{lastName}{id}".ToLowerInvariant(), firstName, lastName, email, "F", inactive: false, Stamp());
            return id;
        }
    }

    private void AddMember(string identifier, string first, string last, string email, string licenseClass, bool inactive, DateTimeOffset at)
    {
        var id = Members.NextId;
        Members.Add(Row(id, 0, at, new JsonObject
        {
            ["id"] = id,
            ["identifier"] = identifier,
            ["disableOnlineFlag"] = false,
            ["licenseClass"] = licenseClass,
            ["inactiveFlag"] = inactive,
            ["firstName"] = first,
            ["lastName"] = last,
            ["hireDate"] = Iso(at.AddYears(-2)),
            ["officeEmail"] = email,
            ["defaultEmail"] = "Office",
            ["primaryEmail"] = email,
            ["officePhone"] = $"555010{id % 10}",
            ["defaultPhone"] = "Office",
            ["securityRole"] = new JsonObject { ["id"] = licenseClass == "A" ? 2 : 1, ["name"] = licenseClass == "A" ? "API Member" : "Technician" },
            ["title"] = licenseClass == "A" ? "Integration" : "Technician",
            ["_info"] = Info(at, at, "admin1"),
        }));
    }
}
