using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Tickets;

/// <summary>Deletes a connection's linked tickets, their notes, intents, ledger and cursor when its data is cleaned up, batch by batch.</summary>
internal sealed class TicketSyncData(IDbContextFactory<EasyConnectDbContext> dbFactory) : IConnectionDataOwner
{
    public string Name => "linked tickets and their history";

    public async Task<long> CountAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.TicketLedger.LongCountAsync(e => e.ConnectionId == connectionId, cancellationToken)
            + await db.NoteLinks.LongCountAsync(n => n.ConnectionId == connectionId, cancellationToken)
            + await db.SyncIntents.LongCountAsync(i => i.ConnectionId == connectionId, cancellationToken)
            + await db.TicketLinks.LongCountAsync(t => t.ConnectionId == connectionId, cancellationToken)
            + await db.TicketSyncCursors.LongCountAsync(c => c.ConnectionId == connectionId, cancellationToken);
    }

    public async Task<long> DeleteBatchAsync(Guid connectionId, int batchSize, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Children before parents, so no batch turns into a large cascade.
        var deleted = await db.TicketLedger.Where(e => db.TicketLedger.Where(x => x.ConnectionId == connectionId).Select(x => x.Id).Take(batchSize).Contains(e.Id))
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            deleted = await db.NoteLinks.Where(n => db.NoteLinks.Where(x => x.ConnectionId == connectionId).Select(x => x.Id).Take(batchSize).Contains(n.Id))
                .ExecuteDeleteAsync(cancellationToken);
        }

        if (deleted == 0)
        {
            deleted = await db.SyncIntents.Where(i => db.SyncIntents.Where(x => x.ConnectionId == connectionId).Select(x => x.Id).Take(batchSize).Contains(i.Id))
                .ExecuteDeleteAsync(cancellationToken);
        }

        if (deleted == 0)
        {
            deleted = await db.TicketLinks.Where(t => db.TicketLinks.Where(x => x.ConnectionId == connectionId).Select(x => x.Id).Take(batchSize).Contains(t.Id))
                .ExecuteDeleteAsync(cancellationToken);
        }

        if (deleted == 0)
        {
            // The cursor goes last: while tickets remain, a crashed clean-up leaves nothing that looks like a fresh start.
            deleted = await db.TicketSyncCursors.Where(c => c.ConnectionId == connectionId).ExecuteDeleteAsync(cancellationToken);
        }

        return deleted;
    }
}
