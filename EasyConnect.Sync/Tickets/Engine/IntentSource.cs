namespace EasyConnect.Sync.Tickets.Engine;

/// <summary>
/// What a <see cref="SyncIntent"/> writes for: one record per kind of source. Stored as <see cref="SyncIntent.SourceKey"/> in the
/// form it has always had (<c>ticket</c>, <c>comment:{id}</c>, <c>note:{id}</c>, <c>description:{hash}</c>, <c>conflict:{hash}</c>),
/// so intents written by earlier versions read back as the same sources.
/// </summary>
internal abstract record IntentSource
{
    /// <summary>The stored form.</summary>
    public abstract string Key { get; }

    /// <summary>The source a stored key names; a key of no known form is kept as it is.</summary>
    public static IntentSource Parse(string key) => key.Split(':', 2) switch
    {
        ["ticket"] => PsaTicketSource.Instance,
        ["comment", var id] => new PortalCommentSource(id),
        ["note", var id] => new PsaNoteSource(id),
        ["description", var hash] => new DescriptionSource(hash),
        ["conflict", var hash] => new ConflictCopySource(hash),
        _ => new UnknownSource(key),
    };
}

/// <summary>The portal ticket itself: its PSA ticket is created.</summary>
internal sealed record PsaTicketSource : IntentSource
{
    public static PsaTicketSource Instance { get; } = new();

    public override string Key => "ticket";
}

/// <summary>A portal comment, copied to the PSA as an internal note.</summary>
internal sealed record PortalCommentSource(string CommentId) : IntentSource
{
    public override string Key => $"comment:{CommentId}";
}

/// <summary>A PSA internal note, copied to the portal as a private comment.</summary>
internal sealed record PsaNoteSource(string NoteId) : IntentSource
{
    public override string Key => $"note:{NoteId}";
}

/// <summary>
/// A description text (by its hash): the PSA's changed description added to the portal as a private comment. Intents of kind
/// <see cref="IntentKind.CreatePsaNote"/> with this source were written by versions that added a missing ConnectWise Discussion
/// note themselves; they are only reconciled now, the PSA adapter writes the description.
/// </summary>
internal sealed record DescriptionSource(string Hash) : IntentSource
{
    public override string Key => $"description:{Hash}";
}

/// <summary>The losing text of a description conflict (by its hash), kept as an internal PSA note.</summary>
internal sealed record ConflictCopySource(string Hash) : IntentSource
{
    public override string Key => $"conflict:{Hash}";
}

/// <summary>A stored key of no known form; reconciled like any other intent, with no follow-up.</summary>
internal sealed record UnknownSource(string StoredKey) : IntentSource
{
    public override string Key => StoredKey;
}
