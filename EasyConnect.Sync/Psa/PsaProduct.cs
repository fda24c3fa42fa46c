namespace EasyConnect.Sync.Psa;

/// <summary>
/// What EasyConnect knows of one PSA product, as data: how people call it and its records, its limits, its connection form,
/// how an instance is identified, and what its API can do per entity. The shared engines, the mirror and the admin UI ask the
/// description instead of testing which product they talk to. One per product, in <c>Psa/&lt;Vendor&gt;/</c>; listed by
/// <see cref="PsaProducts"/>.
/// </summary>
public sealed class PsaProduct
{
    /// <summary>The product.</summary>
    public required PsaKind Kind { get; init; }

    /// <summary>How people call the product ("ConnectWise", "Autotask", "HaloPSA").</summary>
    public required string DisplayName { get; init; }

    /// <summary>A short name for tight places: the user mapping column ("CW User Mapping"), the form's test ids ("cw_site").</summary>
    public required string ShortName { get; init; }

    /// <summary>How the product names the records EasyConnect works with.</summary>
    public required PsaNouns Nouns { get; init; }

    /// <summary>The longest texts the product accepts.</summary>
    public required PsaLimits Limits { get; init; }

    /// <summary>
    /// The finest step of the product's last-modified stamps (ConnectWise: whole seconds). Two writes within one step look
    /// equally new, so a stamp compared with one EasyConnect wrote is compared at this resolution.
    /// </summary>
    public required TimeSpan StampResolution { get; init; }

    /// <summary>
    /// Whether the answers to EasyConnect's creates carry the stamps they left (ConnectWise answers with the record). Autotask answers
    /// a create with the new id only: its ticket sync confirms a run's own writes at the end of the run instead, with one read of the
    /// written tickets' notes a page of tickets (<see cref="IPsaClient.ReadNotesAsync"/>), rather than reading every write back.
    /// </summary>
    public bool CreateAnswersCarryStamps { get; init; } = true;

    /// <summary>The connection form's fields, in the order the Integration page asks for them.</summary>
    public required IReadOnlyList<PsaConnectionField> ConnectionFields { get; init; }

    /// <summary>
    /// Which instance the settings point at, without a call: the same identity means the same instance, so its mirrored data
    /// stays; another one goes through the instance-change workflow. Throws <see cref="PsaException"/> for unusable settings.
    /// Where the settings cannot tell (Autotask: only the zone lookup names the database) this is provisional, and the client's
    /// <see cref="IPsaClient.Identity"/> after Test connection is the one stored as the connection's instance key.
    /// </summary>
    public required Func<IReadOnlyDictionary<string, string>, PsaInstanceIdentity> Identify { get; init; }

    /// <summary>What the API can do, per mirrored entity; an entity the product lacks is absent.</summary>
    public required IReadOnlyDictionary<PsaEntity, PsaEntityCapabilities> Entities { get; init; }

    /// <summary>The built-in sandbox of this product, if EasyConnect ships one.</summary>
    public PsaSandboxDescription? Sandbox { get; init; }

    /// <summary>
    /// The settings of the notes EasyConnect writes that the product lets an admin choose per connection (Autotask: the publish level and
    /// the note type), in the order Advanced Settings shows them; empty when the product has none. The values offered come from
    /// <see cref="IPsaClient.ReadNoteSettingsAsync"/>, and the client reads the chosen ones from <see cref="PsaNoteCreate.Settings"/>.
    /// </summary>
    public IReadOnlyList<PsaNoteSetting> NoteSettings { get; init; } = [];

    /// <summary>How the product names the fields of a configuration a ClusterID can be matched with; a field it lacks is not offered.</summary>
    public PsaClusterIdFields ClusterIdFields { get; init; } = PsaClusterIdFields.Default;

    /// <summary>Where the admin guide for setting the product up lives (shown on the Integration page).</summary>
    public string? SetupGuide { get; init; }

    /// <summary>Names of the settings that are secret: encrypted at rest, never shown back, masked in the audit log.</summary>
    public IReadOnlySet<string> SecretNames => ConnectionFields.Where(f => f.Secret).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The field called <paramref name="name"/>, or null.</summary>
    public PsaConnectionField? Field(string name) => ConnectionFields.FirstOrDefault(f => f.Name == name);

    /// <summary>What the API can do with <paramref name="entity"/>; throws when the product has no such records.</summary>
    public PsaEntityCapabilities Capabilities(PsaEntity entity) =>
        Entities.TryGetValue(entity, out var capabilities) ? capabilities : throw new NotSupportedException($"{DisplayName} has no {entity}.");

    /// <summary>What statuses belong to, when the product scopes them (ConnectWise: a board), else null.</summary>
    public PsaScope? StatusScope => Entities.TryGetValue(PsaEntity.Statuses, out var s) ? s.Scope : null;

    /// <summary>What priorities belong to, when the product scopes them (HaloPSA: an SLA), else null.</summary>
    public PsaScope? PriorityScope => Entities.TryGetValue(PsaEntity.Priorities, out var p) ? p.Scope : null;

    /// <inheritdoc />
    public override string ToString() => DisplayName;
}

/// <summary>How a product names its records, singular and plural, in lower case as they read mid-sentence.</summary>
/// <param name="Member">A PSA user: ConnectWise member, Autotask resource, Halo agent.</param>
/// <param name="Board">Where tickets are worked: ConnectWise board, Autotask queue, Halo team.</param>
/// <param name="Configuration">An asset: ConnectWise configuration, Autotask configuration item, Halo asset.</param>
/// <param name="Company">A customer: ConnectWise and Autotask company, Halo client.</param>
/// <param name="Note">What a portal comment becomes: ConnectWise and Autotask internal note, Halo private action.</param>
public sealed record PsaNouns(
    string Member, string Members, string Board, string Boards, string Configuration, string Configurations, string Company, string Companies,
    string Note = "internal note");

/// <summary>A setting of the notes EasyConnect writes, chosen per connection in Advanced Settings.</summary>
/// <param name="Key">The setting's name, as stored and as the client reads it from <see cref="PsaNoteCreate.Settings"/>.</param>
/// <param name="Label">How Advanced Settings labels it.</param>
/// <param name="Help">A line of help under it.</param>
public sealed record PsaNoteSetting(string Key, string Label, string Help);

/// <summary>
/// How a product names the configuration fields a ClusterID can be compared with (the choices of Advanced Settings), in lower case as
/// they read mid-sentence; null where the product has no such field, which is then not offered.
/// </summary>
/// <param name="Name">The configuration's own name (ConnectWise: name; Autotask: reference title).</param>
/// <param name="SerialNumber">Its serial number.</param>
/// <param name="TagNumber">Its tag number.</param>
/// <param name="CustomField">A custom field named in Advanced Settings (ConnectWise: a question; Autotask: a user-defined field).</param>
/// <param name="CustomFieldName">How the text box for that field's name is labelled.</param>
public sealed record PsaClusterIdFields(string? Name, string? SerialNumber, string? TagNumber, string CustomField, string CustomFieldName)
{
    /// <summary>Every field, named as ConnectWise names them.</summary>
    public static PsaClusterIdFields Default { get; } = new("name", "serial number", "tag number", "custom field (question)", "Custom field name");
}

/// <summary>The longest texts a product accepts.</summary>
/// <param name="SummaryLength">Longest ticket summary (title).</param>
/// <param name="DescriptionLength">Longest ticket description, or note text, in characters.</param>
public sealed record PsaLimits(int SummaryLength, int DescriptionLength);

/// <summary>What records of one kind belong to, when the product keeps them per parent.</summary>
/// <param name="Noun">How the UI names the parent ("board", "SLA").</param>
/// <param name="Parent">The mirrored entity the parent is, when EasyConnect mirrors it (ConnectWise boards); null when not.</param>
public sealed record PsaScope(string Noun, PsaEntity? Parent);

/// <summary>What a product's API can do with one entity; the mirror chooses its reads from this.</summary>
/// <param name="HasLastModified">Whether the records carry a last-modified stamp an incremental read can filter on; without one every run reads all.</param>
/// <param name="OrderedByLastModified">
/// Whether a read filtered by last-modified comes back in (last modified, id) order over the whole entity, so each page's
/// newest row is a safe cursor; false when the order holds only within each <see cref="Scope"/> or not at all.
/// </param>
/// <param name="StablePaging">Whether paging through a full read neither skips nor repeats rows when records change meanwhile (keyset or cursor paging).</param>
/// <param name="PageSize">Most records one request returns.</param>
/// <param name="Scope">What each record belongs to, when the product keeps them per parent; null when they are global.</param>
/// <param name="DeletionLog">
/// Whether the PSA logs deletions of these records (<see cref="IPsaClient.ReadDeletedAsync"/>): an incremental run then removes
/// what was deleted since its cursor, instead of leaving it to the next full run.
/// </param>
public sealed record PsaEntityCapabilities(bool HasLastModified, bool OrderedByLastModified, bool StablePaging, int PageSize, PsaScope? Scope = null, bool DeletionLog = false);

/// <summary>One field of a product's connection form.</summary>
/// <param name="Name">The setting's name, as stored and as the client factory reads it.</param>
/// <param name="Label">The field's label.</param>
/// <param name="RequiredError">What the form says when the field is left empty.</param>
public sealed record PsaConnectionField(string Name, string Label, string RequiredError)
{
    /// <summary>A line of help under the field.</summary>
    public string? Help { get; init; }

    /// <summary>Stored encrypted and never shown back once saved.</summary>
    public bool Secret { get; init; }

    /// <summary>Typed as a password (hidden while typed); a secret need not be (a public key is not).</summary>
    public bool Masked { get; init; }

    /// <summary>Whether the form refuses to send without it.</summary>
    public bool Required { get; init; } = true;

    /// <summary>Checks a typed value beyond length and presence; returns the message to show, or null when it is fine.</summary>
    public Func<string, string?>? Validate { get; init; }

    /// <summary>The value "Use the sandbox" fills in; null leaves the field as typed.</summary>
    public Func<PsaSandboxContext, string?>? SandboxValue { get; init; }
}

/// <summary>A product's built-in sandbox: a simulated API EasyConnect serves itself, for a first look and for tests.</summary>
/// <param name="PathPrefix">Where the sandbox answers, under EasyConnect's own address ("/sandbox/connectwise").</param>
/// <param name="IsRunning">Whether the sandbox is on in this process (its services are registered).</param>
public sealed record PsaSandboxDescription(string PathPrefix, Func<IServiceProvider, bool> IsRunning);

/// <summary>What a sandbox value is made from.</summary>
/// <param name="SandboxBaseUrl">The sandbox's address: EasyConnect's own base address and the sandbox's path, without a trailing slash.</param>
/// <param name="Services">The application's services (the sandbox's options and state).</param>
public sealed record PsaSandboxContext(string SandboxBaseUrl, IServiceProvider Services);
