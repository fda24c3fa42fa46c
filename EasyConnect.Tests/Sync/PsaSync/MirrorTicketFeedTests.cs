using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Tickets;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>
/// Changed PSA tickets are read once per cycle: the ticket sync's read keeps the mirror's ticket rows, and an incremental mirror run
/// then leaves tickets out. Real PostgreSQL and both sandboxes on loopback.
/// </summary>
public sealed class MirrorTicketFeedTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_PutsTheTicketsItWroteInTheMirror_SoAnIncrementalMirrorRunDoesNotReadTicketsAgain()
    {
        var ticket = _h.Portal.State.AddTicket("Scanner offline", "The scanner dropped off the network.", clusterId: "CL-000031");
        _h.Portal.State.AddComment(ticket.Id, "Since this morning.");
        await _h.RunAsync();
        var psa = _h.PsaTicketOf(ticket.Id);
        _h.Psa.State.Faults.ResetRequests();

        var mirror = await _h.MirrorAsync(SyncRunKind.Incremental);

        var row = await MirroredAsync(psa.Id);
        Assert.Equal((psa.LastUpdated, "Scanner offline"), (row.LastModified, row.Summary));
        Assert.Equal(ticket.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), row.ExternalRef);
        Assert.Equal(0, mirror.For(PsaEntity.Tickets).Read);
        Assert.DoesNotContain(_h.Psa.State.Faults.Requests, r => r.Path.EndsWith("/service/tickets", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_UpdatesTheMirrorsTicketRow_WhenATechnicianChangesTheTicket()
    {
        var ticket = _h.Portal.State.AddTicket("Scanner offline", "The scanner dropped off the network.", clusterId: "CL-000031");
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(ticket.Id).Id;

        _h.Psa.State.ChangeTicket(psaId, summary: "Scanner offline: replaced the switch port");
        await _h.RunAsync();

        var row = await MirroredAsync(psaId);
        Assert.Equal(("Scanner offline: replaced the switch port", _h.PsaTicketOf(ticket.Id).LastUpdated), (row.Summary, row.LastModified));
    }

    [Fact]
    public async Task RunAsync_FeedsTheMirrorFromItsCursor_WhenAMirrorRunHeldTheLockDuringTheRunThatWrote()
    {
        var ticket = _h.Portal.State.AddTicket("Scanner offline", "The scanner dropped off the network.", clusterId: "CL-000031");
        await using (await new Medallion.Threading.Postgres.PostgresDistributedLock(PsaSyncEngine.LockKey(_h.ConnectionId), _h.ConnectionString).AcquireAsync(cancellationToken: Ct))
        {
            // A mirror run holds the lock: the ticket sync writes, and the feed stands aside.
            Assert.Equal(1, (await _h.RunAsync()).Counts.Created);
        }

        var psaId = _h.PsaTicketOf(ticket.Id).Id;
        await using (var db = PostgresServer.CreateContext(_h.ConnectionString))
        {
            var id = psaId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(await db.PsaTickets.AnyAsync(t => t.ConnectionId == _h.ConnectionId && t.PsaId == id, Ct));
        }

        await _h.RunAsync();

        Assert.Equal(_h.PsaTicketOf(ticket.Id).LastUpdated, (await MirroredAsync(psaId)).LastModified);
    }

    [Fact]
    public async Task RunAsync_ReadsTicketsItself_WhenTheTicketSyncIsOff()
    {
        var ticket = _h.Portal.State.AddTicket("Scanner offline", "The scanner dropped off the network.", clusterId: "CL-000031");
        await _h.RunAsync();
        await _h.ConfirmSettingsAsync(s => s.SyncEnabled = false);
        var psaId = _h.PsaTicketOf(ticket.Id).Id;
        _h.Psa.State.ChangeTicket(psaId, summary: "Scanner offline: cable replaced");

        var mirror = await _h.MirrorAsync(SyncRunKind.Incremental);

        Assert.True(mirror.For(PsaEntity.Tickets).Read >= 1);
        Assert.Equal("Scanner offline: cable replaced", (await MirroredAsync(psaId)).Summary);
    }

    private async Task<MirroredTicket> MirroredAsync(int psaId)
    {
        await using var db = PostgresServer.CreateContext(_h.ConnectionString);
        var id = psaId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await db.PsaTickets.AsNoTracking().SingleAsync(t => t.ConnectionId == _h.ConnectionId && t.PsaId == id, Ct);
    }
}
