using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Tickets;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>
/// Changed PSA tickets are read once per cycle: the ticket sync's read keeps the mirror's ticket rows, and an incremental mirror run
/// then leaves tickets out. Real PostgreSQL and both sandboxes on loopback; a PSA runs it through a class named after it.
/// </summary>
public abstract class MirrorTicketFeedSuite(PostgresServer postgres, TicketSuitePsa psa) : TicketSuite(postgres, psa)
{
    /// <summary>The end of the path of the PSA's request that lists tickets, to tell from the request log that none was read.</summary>
    private protected abstract string TicketListPath { get; }

    /// <summary>Whether a logged request listed tickets; by default, whether its path ends with <see cref="TicketListPath"/>.</summary>
    private protected virtual bool ListsTickets(SandboxRequest request) => request.Path.EndsWith(TicketListPath, StringComparison.Ordinal);


    [Fact]
    public async Task RunAsync_PutsTheTicketsItWroteInTheMirror_SoAnIncrementalMirrorRunDoesNotReadTicketsAgain()
    {
        var ticket = H.Portal.State.AddTicket("Scanner offline", "The scanner dropped off the network.", clusterId: "CL-000031");
        H.Portal.State.AddComment(ticket.Id, "Since this morning.");
        await H.RunAsync();
        var psa = H.PsaTicketOf(ticket.Id);
        H.Psa.Faults.ResetRequests();

        var mirror = await H.MirrorAsync(SyncRunKind.Incremental);

        var row = await MirroredAsync(psa.Id);
        Assert.Equal((psa.LastModified, "Scanner offline"), (row.LastModified, row.Summary));
        Assert.Equal(ticket.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), row.ExternalRef);
        Assert.Equal(0, mirror.For(PsaEntity.Tickets).Read);
        Assert.DoesNotContain(H.Psa.Faults.Requests, ListsTickets);
    }

    [Fact]
    public async Task RunAsync_UpdatesTheMirrorsTicketRow_WhenATechnicianChangesTheTicket()
    {
        var ticket = H.Portal.State.AddTicket("Scanner offline", "The scanner dropped off the network.", clusterId: "CL-000031");
        await H.RunAsync();
        var psaId = H.PsaTicketOf(ticket.Id).Id;

        H.Psa.EditTicket(psaId, new(Summary: "Scanner offline: replaced the switch port"));
        await H.RunAsync();

        var row = await MirroredAsync(psaId);
        Assert.Equal(("Scanner offline: replaced the switch port", H.PsaTicketOf(ticket.Id).LastModified), (row.Summary, row.LastModified));
    }

    [Fact]
    public async Task RunAsync_FeedsTheMirrorFromItsCursor_WhenAMirrorRunHeldTheLockDuringTheRunThatWrote()
    {
        var ticket = H.Portal.State.AddTicket("Scanner offline", "The scanner dropped off the network.", clusterId: "CL-000031");
        await using (await new Medallion.Threading.Postgres.PostgresDistributedLock(PsaSyncEngine.LockKey(H.ConnectionId), H.ConnectionString).AcquireAsync(cancellationToken: Ct))
        {
            // A mirror run holds the lock: the ticket sync writes, and the feed stands aside.
            Assert.Equal(1, (await H.RunAsync()).Counts.Created);
        }

        var psaId = H.PsaTicketOf(ticket.Id).Id;
        await using (var db = PostgresServer.CreateContext(H.ConnectionString))
        {
            Assert.False(await db.PsaTickets.AnyAsync(t => t.ConnectionId == H.ConnectionId && t.PsaId == psaId, Ct));
        }

        await H.RunAsync();

        Assert.Equal(H.PsaTicketOf(ticket.Id).LastModified, (await MirroredAsync(psaId)).LastModified);
    }

    [Fact]
    public async Task RunAsync_ReadsTicketsItself_WhenTheTicketSyncIsOff()
    {
        var ticket = H.Portal.State.AddTicket("Scanner offline", "The scanner dropped off the network.", clusterId: "CL-000031");
        await H.RunAsync();
        await H.ConfirmSettingsAsync(s => s.SyncEnabled = false);
        var psaId = H.PsaTicketOf(ticket.Id).Id;
        H.Psa.EditTicket(psaId, new(Summary: "Scanner offline: cable replaced"));

        var mirror = await H.MirrorAsync(SyncRunKind.Incremental);

        Assert.True(mirror.For(PsaEntity.Tickets).Read >= 1);
        Assert.Equal("Scanner offline: cable replaced", (await MirroredAsync(psaId)).Summary);
    }

    private async Task<MirroredTicket> MirroredAsync(string psaId)
    {
        await using var db = PostgresServer.CreateContext(H.ConnectionString);
        return await db.PsaTickets.AsNoTracking().SingleAsync(t => t.ConnectionId == H.ConnectionId && t.PsaId == psaId, Ct);
    }
}
