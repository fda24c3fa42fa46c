using EasyConnect.Sync.Http;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>
/// Datto Autotask PSA, as the shared engines and the admin UI see it. The client (<see cref="AutotaskClientFactory"/>) is not registered yet: the description
/// exists so the UI, the limits and the engines are built from data, and <see cref="PsaProducts"/> offers it as coming.
/// </summary>
public static class AutotaskProduct
{
    /// <summary>Setting names of an Autotask connection.</summary>
    public const string UserName = "userName", Secret = "secret", IntegrationCode = "integrationCode";

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
            },
            new(Secret, "Secret", "Enter the API user's secret.") { Secret = true, Masked = true, Help = "Stored encrypted; never shown again" },
            new(IntegrationCode, "API tracking identifier", "Enter the API tracking identifier (integration code).")
            {
                Secret = true,
                Help = "The 27-character tracking identifier of the integration, from the API user's security settings",
            },
        ],
        // An API-only user belongs to one Autotask database, so the user name identifies the instance before any call.
        Identify = settings =>
        {
            var user = settings.TryGetValue(UserName, out var u) && !string.IsNullOrWhiteSpace(u)
                ? u.Trim()
                : throw new PsaException(RemoteErrorKind.ValidationFailed, "The Autotask setting \"userName\" is empty.", UserName);
            return new PsaInstanceIdentity(PsaKind.Autotask, $"autotask|{user.ToLowerInvariant()}", $"Autotask — {user}");
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
        // Both are per-tenant picklists of TicketNotes; the client offers only the internal publish levels, as portal comments stay internal.
        NoteSettings =
        [
            new(NotePublish, "Publish level of notes", "Who in Autotask sees the notes EasyConnect writes for portal comments; only internal levels are offered"),
            new(NoteType, "Note type", "The type of those notes, as your Autotask names it"),
        ],
        // Autotask's reference number is not offered: the ClusterID lives in the reference title, the serial number or a user-defined field.
        ClusterIdFields = new("reference title", "serial number", null, "user-defined field (UDF)", "User-defined field name"),
        SetupGuide = null,
    };
}
