using System.Globalization;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>The ticket sync against Zendesk's documented rules as the portal sandbox enforces them: new → open, closed tickets.</summary>
public sealed class TicketSyncPortalRulesTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_LeavesANewPortalTicketNew_WhenItCreatesThePsaTicketSetsTheExternalIdAndCopiesANote()
    {
        // Arrange
        var ticket = _h.Portal.State.AddTicket("Printer offline", "Floor 2 printer is offline.", clusterId: "CL-000004");
        var (_, _, statuses) = _h.Ids();

        // Act
        await _h.RunAsync();
        var psa = _h.PsaTicketOf(ticket.Id);
        _h.Psa.State.AddTicketNote(psa.Id, "Checked the print server.", null);
        await _h.RunAsync();
        var last = await _h.RunAsync();

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, last.Status);
        var portal = _h.Portal.State.FindTicket(ticket.Id)!;
        Assert.Equal(("new", psa.Id.ToString(CultureInfo.InvariantCulture)), (portal.Status, portal.ExternalId));
        Assert.Contains(_h.Portal.State.Comments(ticket.Id), c => !c.Public && c.Body.Contains("Checked the print server.", StringComparison.Ordinal));
        Assert.Equal(int.Parse(statuses["new"], CultureInfo.InvariantCulture), _h.PsaTicketOf(ticket.Id).StatusId);
    }

    [Fact]
    public async Task RunAsync_MovesThePsaStatusThroughTheMap_WhenThePortalTicketMovedFromNewToOpen()
    {
        // Arrange
        var ticket = _h.Portal.State.AddTicket("VPN drops", "Every few minutes.", clusterId: "CL-000005");
        var (_, _, statuses) = _h.Ids();
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(ticket.Id).Id.ToString(CultureInfo.InvariantCulture);
        // An agent update through the API by EasyConnect's own user, sent without a status: Zendesk opens the ticket.
        _h.Portal.State.Update(ticket.Id, new PortalSandboxTicketChange(SetExternalId: true, ExternalId: psaId), _h.Portal.State.ApiUser.Id);

        // Act
        var result = await _h.RunAsync();

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        Assert.Equal("open", _h.Portal.State.FindTicket(ticket.Id)!.Status);
        Assert.Equal(int.Parse(statuses["open"], CultureInfo.InvariantCulture), _h.PsaTicketOf(ticket.Id).StatusId);
        var link = await _h.LinkAsync(ticket.Id);
        Assert.Equal("open", link.SyncedStatus);
        Assert.Contains(await _h.LedgerAsync(link.Id), e => e.Subject == "Status" && e.Result == LedgerResult.Synced
            && e.Detail.StartsWith("Status new → open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_RecordsOnceThatTheDescriptionStaysInThePsa_WhenThePortalTicketIsClosed()
    {
        // Arrange
        var ticket = _h.Portal.State.AddTicket("Closing", "Solved by itself.", clusterId: "CL-000020");
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(ticket.Id).Id;
        _h.Portal.State.UpdateTicket(ticket.Id, status: "closed");
        await _h.RunAsync();
        var note = _h.Psa.State.NotesOf(psaId).Single(n => n.Discussion);
        _h.Psa.State.EditNote(note.Id, "Solved by a firmware update.");

        // Act
        var first = await _h.RunAsync();
        var second = await _h.RunAsync();

        // Assert
        Assert.Equal((SyncRunStatus.Succeeded, SyncRunStatus.Succeeded), (first.Status, second.Status));
        Assert.Equal(0, second.Counts.Written);
        Assert.Single(_h.Portal.State.Comments(ticket.Id));
        var link = await _h.LinkAsync(ticket.Id);
        Assert.Equal((null, null), (link.LastError, link.HeldReason));
        Assert.Single(await _h.LedgerAsync(link.Id), e => e.Subject == "Description" && e.Result == LedgerResult.NotSynced
            && e.Detail.Contains("closed", StringComparison.Ordinal));
        Assert.Equal("Solved by a firmware update.", _h.Psa.State.NotesOf(psaId).Single(n => n.Discussion).Text);
    }
}
