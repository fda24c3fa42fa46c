namespace EasyConnect.Sync.Psa;

/// <summary>
/// EasyConnect's view of a PSA, implemented once per product (ConnectWise, Autotask, Halo). Vendor
/// types never leave the implementation; callers see only the models of <c>PsaModels.cs</c> and
/// <see cref="PsaException"/>.
/// </summary>
public interface IPsaClient
{
    /// <summary>The PSA product.</summary>
    PsaKind Kind { get; }

    /// <summary>
    /// Which instance this client talks to. Most products know it from the settings (<see cref="PsaProduct.Identify"/>); one whose
    /// instance only an answer names (Autotask: the zone lookup's database id) reports it once the answer came, so after
    /// <see cref="TestConnectionAsync(IProgress{PsaCheckItem}, CancellationToken)"/> it is the identity Connect compares and stores.
    /// </summary>
    PsaInstanceIdentity Identity { get; }

    /// <summary>HTTP requests this client has sent so far, retries included.</summary>
    long ApiCalls { get; }

    /// <summary>Requests this client's connection lets be in flight at once; callers working in parallel need no more workers than this.</summary>
    int MaxConcurrency { get; }

    /// <summary>
    /// Checks authentication and every permission the sync needs; never throws for a failed check, only
    /// <see cref="OperationCanceledException"/> when cancelled. Each check is reported to <paramref name="progress"/>:
    /// first every planned one as waiting, then each as it runs and as it ends.
    /// </summary>
    Task<IReadOnlyList<PsaCheckItem>> TestConnectionAsync(IProgress<PsaCheckItem>? progress, CancellationToken cancellationToken);

    /// <summary>Checks authentication and every permission the sync needs; never throws for a failed check.</summary>
    Task<IReadOnlyList<PsaCheckItem>> TestConnectionAsync(CancellationToken cancellationToken) => TestConnectionAsync(null, cancellationToken);

    /// <summary>
    /// Reads records of one entity, page by page; each page is what one request returned. With
    /// <paramref name="modifiedAfter"/> only records modified after that time come back, ordered by (last modified, id)
    /// within each parent (ConnectWise statuses are read board by board). Without it every record comes back in the
    /// PSA's cheapest stable order (ConnectWise: by id, forward-only), which a full sync needs and deep page numbers are not.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<IPsaRecord>> ReadAsync(PsaEntity entity, DateTimeOffset? modifiedAfter, CancellationToken cancellationToken);

    /// <summary>
    /// Ids of the records of an entity deleted after the time, page by page, where the product's description says the PSA logs its
    /// deletions (<see cref="PsaEntityCapabilities.DeletionLog"/>); other products do not implement it.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<string>> ReadDeletedAsync(PsaEntity entity, DateTimeOffset deletedAfter, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"The {Kind} client keeps no log of deleted {entity}.");

    /// <summary>How many records of an entity exist (modified after the time, when given).</summary>
    Task<int> CountAsync(PsaEntity entity, DateTimeOffset? modifiedAfter, CancellationToken cancellationToken);

    /// <summary>One ticket, or null when it does not exist.</summary>
    Task<PsaTicket?> GetTicketAsync(string ticketId, CancellationToken cancellationToken);

    /// <summary>The ticket carrying this external reference, if any: how a create that timed out is found again.</summary>
    Task<PsaTicket?> FindTicketByExternalReferenceAsync(string externalReference, CancellationToken cancellationToken);

    /// <summary>Creates a ticket.</summary>
    Task<PsaTicket> CreateTicketAsync(PsaTicketCreate ticket, CancellationToken cancellationToken);

    /// <summary>Changes the given fields of a ticket (the description too: idempotent, whether the PSA keeps it on the ticket or in a note).</summary>
    Task<PsaTicket> UpdateTicketAsync(string ticketId, PsaTicketUpdate update, CancellationToken cancellationToken);

    /// <summary>
    /// The ticket's description and every other note, oldest first, in as few calls as the PSA allows (ConnectWise: one read of the
    /// notes, whose first Discussion note is the description). Null description when the ticket has none.
    /// </summary>
    Task<PsaConversation> ReadConversationAsync(string ticketId, CancellationToken cancellationToken);

    /// <summary>Adds a note to a ticket.</summary>
    Task<PsaNote> CreateNoteAsync(string ticketId, PsaNoteCreate note, CancellationToken cancellationToken);

    /// <summary>
    /// The values the PSA offers for each of its product's <see cref="PsaProduct.NoteSettings"/> (Autotask: from
    /// <c>TicketNotes/entityInformation/fields</c>); products without note settings answer none.
    /// </summary>
    Task<IReadOnlyList<PsaNoteSettingChoices>> ReadNoteSettingsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PsaNoteSettingChoices>>([]);

    /// <summary>Attaches a configuration to a ticket (idempotent: attaching twice is not an error).</summary>
    Task AttachConfigurationAsync(string ticketId, string configurationId, CancellationToken cancellationToken);
}
