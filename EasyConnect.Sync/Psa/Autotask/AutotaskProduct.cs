using System.Globalization;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Sandbox.Autotask;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>Datto Autotask PSA, as the shared engines and the admin UI see it; its client is <see cref="AutotaskClientFactory"/>.</summary>
public static class AutotaskProduct
{
    /// <summary>Setting names of an Autotask connection.</summary>
    public const string UserName = "userName", Secret = "secret", IntegrationCode = "integrationCode", ZoneLookup = "zoneLookupUrl";

    /// <summary>Where the built-in Autotask sandbox answers.</summary>
    public const string SandboxPath = "/sandbox/autotask";

    /// <summary>Autotask's own zone lookup, used when the connection names none.</summary>
    public static Uri DefaultZoneLookup { get; } = new("https://webservices.autotask.net/ATServicesRest/");

    /// <summary>Note settings of an Autotask connection: the TicketNotes fields <c>publish</c> and <c>noteType</c>, as their picklist values.</summary>
    public const string NotePublish = "publish", NoteType = "noteType";

    // Query pages hold at most 500 rows, sorted by id; keyset paging on id > last is stable, nextPageUrl walks are O(N).
    private static readonly PsaEntityCapabilities Stamped = new(HasLastModified: true, OrderedByLastModified: false, StablePaging: true, PageSize: 500);

    // Queues, statuses and priorities are picklists of the Tickets entity: one entityInformation/fields answer, no stamps.
    private static readonly PsaEntityCapabilities Picklist = new(HasLastModified: false, OrderedByLastModified: false, StablePaging: true, PageSize: int.MaxValue);

    /// <summary>The description.</summary>
    public static PsaProduct Description { get; } = new()
    {
        Kind = PsaKind.Autotask,
        DisplayName = "Autotask",
        ShortName = "Autotask",
        Nouns = new("resource", "resources", "queue", "queues", "configuration item", "configuration items", "company", "companies"),
        // Tickets.title and Tickets.description as Autotask's field metadata sizes them (entityInformation/fields "length").
        Limits = new(SummaryLength: 255, DescriptionLength: 8_000),
        // Autotask stamps carry fractions of a second.
        StampResolution = TimeSpan.FromMilliseconds(1),
        ConnectionFields =
        [
            new(UserName, "API user name", "Enter the user name of the API-only resource.")
            {
                Help = "The API user's name, such as easyconnect@example.com; it also finds your Autotask zone",
                SandboxValue = c => Sandbox(c).UserName,
            },
            new(Secret, "Secret", "Enter the API user's secret.")
            {
                Secret = true, Masked = true, Help = "Stored encrypted; never shown again", SandboxValue = c => Sandbox(c).Secret,
            },
            new(IntegrationCode, "API tracking identifier", "Enter the API tracking identifier (integration code).")
            {
                Secret = true,
                Help = "The 27-character tracking identifier of the integration, from the API user's security settings",
                SandboxValue = c => Sandbox(c).IntegrationCode,
            },
            new(ZoneLookup, "Zone lookup address", "")
            {
                Required = false,
                Help = $"Leave empty for Autotask's own {DefaultZoneLookup.Host}; only a test or proxy setup needs another",
                Validate = v => ZoneLookupOf(v) is null ? "Enter an http or https address, such as https://webservices.autotask.net/ATServicesRest/." : null,
                SandboxValue = c => c.SandboxBaseUrl + "/ATServicesRest/",
            },
        ],
        // Called without a call, so only provisional: the client replaces it with the zone and database id (ZoneInformation's "ci")
        // once the zone lookup has answered, and that is what Test connection reports and Connect stores (see InstanceOf).
        Identify = settings =>
        {
            var user = settings.TryGetValue(UserName, out var u) && !string.IsNullOrWhiteSpace(u)
                ? u.Trim()
                : throw new PsaException(RemoteErrorKind.ValidationFailed, "The Autotask setting \"userName\" is empty.", UserName);
            return new PsaInstanceIdentity(PsaKind.Autotask, $"autotask-user|{user.ToLowerInvariant()}", $"API user {user} (database not looked up yet)");
        },
        Entities = new Dictionary<PsaEntity, PsaEntityCapabilities>
        {
            // Resources have no last-modified stamp: every run reads them all and sweeps the unseen.
            [PsaEntity.Members] = new(HasLastModified: false, OrderedByLastModified: false, StablePaging: true, PageSize: 500),
            [PsaEntity.Companies] = Stamped,
            [PsaEntity.Configurations] = Stamped,
            [PsaEntity.Boards] = Picklist,
            [PsaEntity.Statuses] = Picklist,
            [PsaEntity.Priorities] = Picklist,
            // DeletedTicketLogs lists deleted tickets by deletedDateTime; companies, configuration items and resources are never deleted through the API, only deactivated.
            [PsaEntity.Tickets] = Stamped with { DeletionLog = true },
        },
        Sandbox = new(SandboxPath, services => services.GetService<AutotaskSandboxState>() is not null),
        SetupGuide = "docs/autotask-setup.md",
        // Both are per-tenant picklists of TicketNotes; the client offers only the internal publish levels, as portal comments stay internal.
        NoteSettings =
        [
            new(NotePublish, "Publish level of notes", "Who in Autotask sees the notes EasyConnect writes for portal comments; only internal levels are offered"),
            new(NoteType, "Note type", "The type of those notes, as your Autotask names it"),
        ],
        // Autotask's reference number is not offered: the ClusterID lives in the reference title, the serial number or a user-defined field.
        ClusterIdFields = new("reference title", "serial number", null, "user-defined field (UDF)", "User-defined field name"),
    };

    /// <summary>
    /// The instance an API user's zone lookup names: the zone's REST address and the database id (<c>ci</c>). Every API user of one
    /// Autotask database gets the same one, so a second API user of the same database is the same instance; another database is not.
    /// </summary>
    /// <param name="zoneUrl">The zone's REST base the lookup answered (<c>url</c>).</param>
    /// <param name="zoneName">The zone's name (<c>zoneName</c>), for people.</param>
    /// <param name="databaseId">The database id (<c>ci</c>).</param>
    public static PsaInstanceIdentity InstanceOf(Uri zoneUrl, string zoneName, long databaseId)
    {
        ArgumentNullException.ThrowIfNull(zoneUrl);
        var zone = (zoneUrl.Authority + zoneUrl.AbsolutePath).TrimEnd('/').ToLowerInvariant();
        var id = databaseId.ToString(CultureInfo.InvariantCulture);
        return new PsaInstanceIdentity(PsaKind.Autotask, $"autotask|{zone}|{id}", $"database {id} ({zoneName})");
    }

    /// <summary>The zone lookup address a connection's setting names: null for a value that is not an http(s) address.</summary>
    public static Uri? ZoneLookupOf(string value) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? url : null;

    private static AutotaskSandboxOptions Sandbox(PsaSandboxContext context) =>
        context.Services.GetRequiredService<AutotaskSandboxState>().Options;
}
