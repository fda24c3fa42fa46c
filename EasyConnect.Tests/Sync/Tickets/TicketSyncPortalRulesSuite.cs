using EasyConnect.Sync.Runs;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>The ticket sync against Zendesk's documented rules as the portal sandbox enforces them: new → open, closed tickets.</summary>
public abstract class TicketSyncPortalRulesSuite(PostgresServer postgres, TicketSuitePsa psa) : TicketSuite(postgres, psa)
{
    [Fact]
    public async Task RunAsync_LeavesANewPortalTicketNew_WhenItCreatesThePsaTicketSetsTheExternalIdAndCopiesANote()
    {
        // Arrange
        var ticket = Portal.AddTicket("Printer offline", "Floor 2 printer is offline.", clusterId: "CL-000004");
        var (_, _, statuses) = H.Ids();

        // Act
        await H.RunAsync();
        var psa = H.PsaTicketOf(ticket.Id);
        Psa.AddNote(psa.Id, "Checked the print server.");
        await H.RunAsync();
        var last = await H.RunAsync();

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, last.Status);
        var portal = Portal.FindTicket(ticket.Id)!;
        Assert.Equal(("new", psa.Id), (portal.Status, portal.ExternalId));
        Assert.Contains(Portal.Comments(ticket.Id), c => !c.Public && c.Body.Contains("Checked the print server.", StringComparison.Ordinal));
        Assert.Equal(statuses["new"], H.PsaTicketOf(ticket.Id).StatusId);
    }

    [Fact]
    public async Task RunAsync_MovesThePsaStatusThroughTheMap_WhenThePortalTicketMovedFromNewToOpen()
    {
        // Arrange
        var ticket = Portal.AddTicket("VPN drops", "Every few minutes.", clusterId: "CL-000005");
        var (_, _, statuses) = H.Ids();
        await H.RunAsync();
        var psaId = H.PsaTicketOf(ticket.Id).Id;
        // An agent update through the API by EasyConnect's own user, sent without a status: Zendesk opens the ticket.
        Portal.Update(ticket.Id, new PortalSandboxTicketChange(SetExternalId: true, ExternalId: psaId), Portal.ApiUser.Id);

        // Act
        var result = await H.RunAsync();

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        Assert.Equal("open", Portal.FindTicket(ticket.Id)!.Status);
        Assert.Equal(statuses["open"], H.PsaTicketOf(ticket.Id).StatusId);
        var link = await H.LinkAsync(ticket.Id);
        Assert.Equal("open", link.SyncedStatus);
        Assert.Contains(await H.LedgerAsync(link.Id), e => e.Subject == "Status" && e.Result == LedgerResult.Synced
            && e.Detail.StartsWith("Status new → open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_RecordsOnceThatTheDescriptionStaysInThePsa_WhenThePortalTicketIsClosed()
    {
        // Arrange
        var ticket = Portal.AddTicket("Closing", "Solved by itself.", clusterId: "CL-000020");
        await H.RunAsync();
        var psaId = H.PsaTicketOf(ticket.Id).Id;
        Portal.UpdateTicket(ticket.Id, status: "closed");
        await H.RunAsync();
        Psa.EditDescription(psaId, "Solved by a firmware update.");

        // Act
        var first = await H.RunAsync();
        var second = await H.RunAsync();

        // Assert
        Assert.Equal((SyncRunStatus.Succeeded, SyncRunStatus.Succeeded), (first.Status, second.Status));
        Assert.Equal(0, second.Counts.Written);
        Assert.Single(Portal.Comments(ticket.Id));
        var link = await H.LinkAsync(ticket.Id);
        Assert.Equal((null, null), (link.LastError, link.HeldReason));
        Assert.Single(await H.LedgerAsync(link.Id), e => e.Subject == "Description" && e.Result == LedgerResult.NotSynced
            && e.Detail.Contains("closed", StringComparison.Ordinal));
        Assert.Equal("Solved by a firmware update.", Psa.DescriptionOf(psaId));
    }
}
