using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Tickets.Engine;

/// <summary>
/// Everything one ticket's pass shares between its parts: the run, the database, the ticket's link, and the parts that hold the
/// pass's memory (the intent journal, the note links, what was read of both sides, the ledger). Made once per pass, never shared
/// between tickets.
/// </summary>
internal sealed class TicketPassContext
{
    private readonly TimeProvider _clock;

    private TicketPassContext(
        TicketRun run, EasyConnectDbContext db, TimeProvider clock, TicketLink link, bool refresh, List<SyncIntent> intents, List<NoteLink> noteLinks)
    {
        Run = run;
        Db = db;
        _clock = clock;
        Link = link;
        Refresh = refresh;
        Ledger = new TicketLedgerWriter(this);
        NoteLinks = new NoteLinkSet(this, noteLinks);
        Journal = new IntentJournal(this, intents);
        Sides = new TicketSides(this);
        // Whole-second stamps need the PSA's updater to tell EasyConnect's write from someone's change in the same second; a PSA whose
        // answers carry no stamps (Autotask) confirms its writes at the end of the run instead (UnstampedWrites), never by a claim.
        Own = new OwnWrites(link, updaterNeeded: Product.StampResolution >= TimeSpan.FromSeconds(1) || !Product.CreateAnswersCarryStamps);
    }

    /// <summary>Loads the ticket's link, its intents and its note links; null when the link is gone (or of another connection).</summary>
    public static async Task<TicketPassContext?> LoadAsync(
        TicketRun run, EasyConnectDbContext db, TimeProvider clock, long linkId, bool refresh, CancellationToken cancellationToken)
    {
        var link = await db.TicketLinks.SingleOrDefaultAsync(l => l.Id == linkId && l.ConnectionId == run.ConnectionId, cancellationToken);
        if (link is null)
        {
            return null;
        }

        var intents = await db.SyncIntents.Where(i => i.TicketLinkId == linkId).ToListAsync(cancellationToken);
        var noteLinks = await db.NoteLinks.Where(n => n.TicketLinkId == linkId).ToListAsync(cancellationToken);
        return new TicketPassContext(run, db, clock, link, refresh, intents, noteLinks);
    }

    public TicketRun Run { get; }

    public EasyConnectDbContext Db { get; }

    /// <summary>The ticket's link: both sides' snapshots and what was last synced.</summary>
    public TicketLink Link { get; }

    /// <summary>A resync: both tickets are read afresh and every comment and note is looked at.</summary>
    public bool Refresh { get; }

    public TicketLedgerWriter Ledger { get; }

    public NoteLinkSet NoteLinks { get; }

    public IntentJournal Journal { get; }

    public TicketSides Sides { get; }

    /// <summary>What the pass's own writes left on either side, so the next read of changes does not take them for someone else's.</summary>
    public OwnWrites Own { get; }

    /// <summary>How far the pass got, and what it has to look at anyway.</summary>
    public TicketPassProgress Progress { get; } = new();

    /// <summary>Why the ticket is held, as found in this pass.</summary>
    public List<TicketHold> Holds { get; } = [];

    public IPsaClient Psa => Run.Psa;

    public IPortalClient Portal => Run.Portal;

    public PsaKind Kind => Run.Kind;

    /// <summary>The PSA product's limits and nouns.</summary>
    public PsaProduct Product => PsaProducts.Get(Run.Kind);

    /// <summary>The longest summary the PSA keeps.</summary>
    public int SummaryLimit => Product.Limits.SummaryLength;

    /// <summary>The PSA's name as the ledger says it.</summary>
    public string PsaName => TicketText.PsaName(Run.Kind);

    public TicketSyncOptions Options => Run.Options;

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Something was written to either side in this pass.</summary>
    public void Wrote() => Progress.Wrote = true;

    /// <summary>A note EasyConnect wrote: its time is the PSA ticket's new stamp.</summary>
    public PsaNote OwnNote(PsaNote note)
    {
        Own.PsaWrote(note);
        return note;
    }

    /// <summary>A comment EasyConnect wrote: its time is the portal ticket's new updated_at.</summary>
    public PortalComment OwnComment(PortalComment comment)
    {
        Own.PortalWrote(comment);
        return comment;
    }

    /// <summary>What a remote write changed is saved at once, even when the run is being stopped, so it is never done twice.</summary>
    public Task SaveAsync() => Db.SaveChangesAsync(CancellationToken.None);

    /// <summary>The pass waits for a write whose answer was lost; the ticket's page says what for.</summary>
    public void Wait(string message)
    {
        Progress.Waiting = true;
        if (Link.LastError != message && Progress.WaitMessage is null)
        {
            Ledger.Add(SyncDirection.None, "Ticket", LedgerResult.Failed, message);
        }

        Progress.WaitMessage ??= message;
    }
}

/// <summary>The few flags a pass keeps: what it wrote, whether it waits, and which of the two conversations it finished.</summary>
internal sealed class TicketPassProgress
{
    public bool Wrote { get; set; }

    /// <summary>A write may still arrive: the pass ends without marking anything synced.</summary>
    public bool Waiting { get; set; }

    public string? WaitMessage { get; set; }

    /// <summary>The PSA ticket was just created or adopted: every portal comment is looked at.</summary>
    public bool ForceComments { get; set; }

    /// <summary>The PSA ticket was adopted: every PSA note is looked at.</summary>
    public bool ForceNotes { get; set; }

    public bool CommentsDone { get; set; }

    public bool NotesDone { get; set; }

    /// <summary>The PSA notes were read and copied in this pass.</summary>
    public bool NotesCopied { get; set; }
}

/// <summary>Thrown inside a pass when a hold stops the rest of it; the hold itself is on the pass.</summary>
internal sealed class TicketHeldException : Exception;
