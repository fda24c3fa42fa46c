using System.Globalization;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>The mapping rules of DESIGN §3, each against both sandboxes over real HTTP and a real PostgreSQL.</summary>
public sealed class TicketSyncEngineTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Ava = "ava.nguyen@msp.example";
    private const string Customer = "hannah@contoso.example";
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_CreatesPsaTicketWithEveryMappedField_WhenNewPortalTicket()
    {
        var ticket = _h.Portal.State.AddTicket("Server is not responding", "The file server stopped answering at 9:00.\nEveryone is affected.",
            clusterId: "CL-000007", priority: "high", status: "open", requesterEmail: Customer);

        var result = await _h.RunAsync();

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        Assert.Equal(1, result.Counts.Created);
        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal("Server is not responding", psa.Summary);
        Assert.Equal((1, 2, 2, 7), (psa.BoardId, psa.StatusId, psa.PriorityId, psa.CompanyId));
        Assert.Equal([7], psa.ConfigurationIds);
        var description = Assert.Single(_h.Psa.State.NotesOf(psa.Id), n => n.Discussion);
        Assert.Equal(AsConnectWiseReturns(ticket.Description), description.Text);
        Assert.Single(_h.Psa.State.NotesOf(psa.Id));
        Assert.Equal(psa.Id.ToString(CultureInfo.InvariantCulture), _h.Portal.State.FindTicket(ticket.Id)!.ExternalId);
        var link = await _h.LinkAsync(ticket.Id);
        Assert.Null(link.HeldReason);
        Assert.Equal(psa.Id.ToString(CultureInfo.InvariantCulture), link.PsaTicketId);
        var ledger = await _h.LedgerAsync(link.Id);
        Assert.Contains(ledger, e => e.Subject == "Ticket" && e.Result == LedgerResult.Synced && e.Direction == SyncDirection.PortalToPsa
            && e.Detail.Contains("Priority 2 - Quick Response", StringComparison.Ordinal) && e.Detail.Contains("In Progress", StringComparison.Ordinal));
        Assert.Contains(ledger, e => e.Subject == "Configuration" && e.Detail.Contains("CL-000007", StringComparison.Ordinal));
        // The description came back from ConnectWise with a space for its line break: that is no change to write back.
        Assert.Equal(0, (await _h.RunAsync()).Counts.Written);
    }

    [Fact]
    public async Task RunAsync_ShortensA150CharacterSubject_AndKeepsItWholeInTheDescriptionNote()
    {
        var subject = string.Join(' ', Enumerable.Repeat("Printer-queue", 12)) + " stuck on floor 3 since Monday"; // 185 characters
        subject = subject[..150];
        var ticket = _h.Portal.State.AddTicket(subject, "Nothing prints.", clusterId: "CL-000003");

        await _h.RunAsync();

        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.True(psa.Summary.Length <= 100, $"summary has {psa.Summary.Length} characters");
        Assert.EndsWith("…", psa.Summary, StringComparison.Ordinal);
        Assert.StartsWith(psa.Summary[..^1], subject, StringComparison.Ordinal);
        var description = Assert.Single(_h.Psa.State.NotesOf(psa.Id), n => n.Discussion);
        Assert.Equal(AsConnectWiseReturns($"Subject: {subject}\n\nNothing prints."), description.Text);
    }

    [Fact]
    public async Task RunAsync_CopiesCommentsToInternalNotes_AttributedToTheMappedMemberOrNamingTheAuthor()
    {
        var member = await _h.MapUserAsync(Ava);
        var ticket = _h.Portal.State.AddTicket("VPN drops", "Every few minutes.", clusterId: "CL-000002", requesterEmail: Customer);
        _h.Portal.State.AddComment(ticket.Id, "Still happening after the reboot.", Customer);
        _h.Portal.State.AddComment(ticket.Id, "Checked the firewall logs.", Ava, isPublic: false);

        var result = await _h.RunAsync();

        Assert.Equal(2, result.Counts.CommentsToNotes);
        var notes = _h.Psa.State.NotesOf(_h.PsaTicketOf(ticket.Id).Id).Where(n => n.Internal).ToList();
        Assert.Equal(2, notes.Count);
        Assert.Equal(AsConnectWiseReturns("Hannah Contoso (hannah@contoso.example) wrote in the portal:\nStill happening after the reboot."), notes[0].Text);
        Assert.Equal(_h.Psa.State.MemberIdByEmail("easyconnect-api@msp.example"), notes[0].MemberId);
        Assert.Equal("Checked the firewall logs.", notes[1].Text);
        Assert.Equal(member, notes[1].MemberId);
    }

    [Fact]
    public async Task RunAsync_CopiesInternalNotesToPrivateComments_AttributedToTheMappedUserOrNamingTheMember()
    {
        await _h.MapUserAsync(Ava);
        var ticket = _h.Portal.State.AddTicket("Backup failed", "The nightly job failed.", clusterId: "CL-000004");
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(ticket.Id).Id;
        var unmapped = _h.Psa.State.MemberIdByEmail("liam.smith@msp.example")!.Value;
        _h.Psa.State.AddTicketNote(psaId, "Restarted the backup service.", _h.Psa.State.MemberIdByEmail(Ava));
        _h.Psa.State.AddTicketNote(psaId, "Ordered a new tape.", unmapped);
        _h.Psa.State.AddTicketNote(psaId, "Customer-facing update.", unmapped, isInternal: false);

        var result = await _h.RunAsync();

        Assert.Equal(2, result.Counts.NotesToComments);
        var comments = _h.Portal.State.Comments(ticket.Id).Skip(1).ToList();
        Assert.Equal(2, comments.Count);
        Assert.All(comments, c => Assert.False(c.Public));
        Assert.Equal("Restarted the backup service.", comments[0].Body);
        Assert.Equal(_h.Portal.State.FindUserByEmail(Ava)!.Id, comments[0].AuthorId);
        Assert.Equal("Liam Smith wrote in ConnectWise:\nOrdered a new tape.", comments[1].Body);
        Assert.Equal(_h.Portal.State.ApiUser.Id, comments[1].AuthorId);
    }

    [Fact]
    public async Task RunAsync_NeverEchoes_ANoteItMadeOrACommentItMade()
    {
        var ticket = _h.Portal.State.AddTicket("Slow file share", "Opening files takes minutes.", clusterId: "CL-000005");
        _h.Portal.State.AddComment(ticket.Id, "Worse since lunch.");
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(ticket.Id).Id;
        _h.Psa.State.AddTicketNote(psaId, "Replaced the switch.", _h.Psa.State.MemberIdByEmail("liam.smith@msp.example"));

        for (var i = 0; i < 4; i++)
        {
            await _h.RunAsync();
        }

        // The note EasyConnect made for the comment never came back as a comment, and the comment it made for the technician's note never became a note.
        var comments = _h.Portal.State.Comments(ticket.Id);
        Assert.Equal(["Opening files takes minutes.", "Worse since lunch.", "Liam Smith wrote in ConnectWise:\nReplaced the switch."], comments.Select(c => c.Body));
        var notes = _h.Psa.State.NotesOf(psaId);
        Assert.Equal(3, notes.Count);
        Assert.Single(notes, n => n.Text.Contains("Worse since lunch.", StringComparison.Ordinal));
        Assert.Single(notes, n => n.Text.Contains("Replaced the switch.", StringComparison.Ordinal));
        var idle = await _h.RunAsync();
        Assert.Equal(0, idle.Counts.Written);
    }

    [Fact]
    public async Task RunAsync_SendsSubjectPriorityStatusAndClusterIdChanges_FromThePortal()
    {
        var ticket = _h.Portal.State.AddTicket("Disk almost full", "C: has 1 GB left.", clusterId: "CL-000001", priority: "low", status: "new");
        await _h.RunAsync();

        _h.Portal.State.UpdateTicket(ticket.Id, subject: "Disk full", priority: "urgent", status: "pending", clusterId: "CL-000022");
        var result = await _h.RunAsync();

        Assert.Equal(1, result.Counts.Updated);
        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal(("Disk full", 1, 3, 2), (psa.Summary, psa.PriorityId, psa.StatusId, psa.CompanyId));
        Assert.Equal([1, 22], psa.ConfigurationIds);
        var ledger = await _h.LedgerAsync((await _h.LinkAsync(ticket.Id)).Id);
        Assert.Contains(ledger, e => e.Subject == "Priority" && e.Detail.Contains("low → urgent", StringComparison.Ordinal));
        Assert.Contains(ledger, e => e.Subject == "Status" && e.Detail.Contains("new → pending", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_DoesNotChangeThePortal_WhenPriorityOrStatusChangesInThePsa()
    {
        var ticket = _h.Portal.State.AddTicket("Email not syncing", "On phones only.", clusterId: "CL-000006", priority: "normal", status: "open");
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(ticket.Id).Id;

        _h.Psa.State.ChangeTicket(psaId, priorityId: 1, statusId: 4);
        await _h.RunAsync();
        await _h.RunAsync();

        var portal = _h.Portal.State.FindTicket(ticket.Id)!;
        Assert.Equal(("normal", "open"), (portal.Priority, portal.Status));
        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal((1, 4), (psa.PriorityId, psa.StatusId));
        var ledger = await _h.LedgerAsync((await _h.LinkAsync(ticket.Id)).Id);
        Assert.Single(ledger, e => e.Subject == "Priority" && e.Result == LedgerResult.NotSynced);
        Assert.Single(ledger, e => e.Subject == "Status" && e.Result == LedgerResult.NotSynced);
    }

    [Fact]
    public async Task RunAsync_HoldsAnUnknownClusterId_AndReleasesIt_WhenTheConfigurationAppearsInTheMirror()
    {
        var ticket = _h.Portal.State.AddTicket("New firewall", "Please set it up.", clusterId: "CL-777777");

        var held = await _h.RunAsync();

        Assert.Equal(1, held.Counts.Held);
        Assert.Empty(_h.Psa.State.TicketsWithExternalXRef(ticket.Id.ToString(CultureInfo.InvariantCulture)));
        var link = await _h.LinkAsync(ticket.Id);
        Assert.Equal(HoldKind.UnknownClusterId, link.HeldKind);
        Assert.Contains("\"CL-777777\" matches no ConnectWise configuration", link.HeldReason, StringComparison.Ordinal);
        Assert.Equal(0, (await _h.RunAsync()).Counts.Held);

        var configuration = _h.Psa.State.AddConfiguration("Edge firewall", 9, "CL-777777");
        await _h.MirrorAsync();
        await _h.RunAsync();

        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal(9, psa.CompanyId);
        Assert.Equal([configuration], psa.ConfigurationIds);
        link = await _h.LinkAsync(ticket.Id);
        Assert.Null(link.HeldReason);
        var ledger = await _h.LedgerAsync(link.Id);
        Assert.Single(ledger, e => e.Result == LedgerResult.Held);
        Assert.Single(ledger, e => e.Result == LedgerResult.Released);
    }

    [Fact]
    public async Task RunAsync_UsesTheFallbackCompany_WhenTheClusterIdMatchesNothing()
    {
        await _h.ConfirmSettingsAsync(s => s.FallbackCompanyId = "15");
        var ticket = _h.Portal.State.AddTicket("Who am I", "No ClusterID here.");

        await _h.RunAsync();

        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal(15, psa.CompanyId);
        Assert.Empty(psa.ConfigurationIds);
    }

    [Fact]
    public async Task RunAsync_HoldsATicketThePsaRefuses_WithThePsasReason_AndReleasesItOnceFixed()
    {
        await _h.ConfirmSettingsAsync(s => s.FallbackCompanyId = "999");
        var ticket = _h.Portal.State.AddTicket("Refused", "ConnectWise will say no.");

        var result = await _h.RunAsync();

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        var link = await _h.LinkAsync(ticket.Id);
        Assert.Equal(HoldKind.PsaRefused, link.HeldKind);
        Assert.Contains("ConnectWise refused the new ticket", link.HeldReason, StringComparison.Ordinal);
        Assert.Contains("company 999 not found", link.HeldReason, StringComparison.Ordinal);

        await _h.ConfirmSettingsAsync(s => s.FallbackCompanyId = "3");
        await _h.RunAsync();

        Assert.Equal(3, _h.PsaTicketOf(ticket.Id).CompanyId);
        Assert.Null((await _h.LinkAsync(ticket.Id)).HeldReason);
    }

    [Fact]
    public async Task RunAsync_HoldsAnUnmappedPriority_AndReleasesIt_WhenMapped()
    {
        var (_, priorities, _) = _h.Ids();
        await _h.ConfirmSettingsAsync(s => s.PriorityMap = priorities.Where(p => p.Key != "urgent").ToDictionary());
        var ticket = _h.Portal.State.AddTicket("Site down", "The whole office is offline.", clusterId: "CL-000010", priority: "urgent");

        await _h.RunAsync();

        var link = await _h.LinkAsync(ticket.Id);
        Assert.Equal(HoldKind.UnmappedPriority, link.HeldKind);
        Assert.Equal("The portal priority \"urgent\" has no ConnectWise priority in the priority map: map it in Advanced Settings.", link.HeldReason);
        Assert.Empty(_h.Psa.State.TicketsWithExternalXRef(ticket.Id.ToString(CultureInfo.InvariantCulture)));

        await _h.ConfirmSettingsAsync(s => s.PriorityMap = priorities);
        await _h.RunAsync();

        Assert.Equal(1, _h.PsaTicketOf(ticket.Id).PriorityId);
        Assert.Null((await _h.LinkAsync(ticket.Id)).HeldReason);
    }

    [Fact]
    public async Task RunAsync_HoldsOnlyTheUnmappedStatusOfALinkedTicket_AndItsCommentsStillSync()
    {
        var (_, _, statuses) = _h.Ids();
        var ticket = _h.Portal.State.AddTicket("Wi-Fi", "Meeting room drops.", clusterId: "CL-000011", status: "open");
        await _h.RunAsync();
        await _h.ConfirmSettingsAsync(s => s.StatusMap = statuses.Where(p => p.Key != "hold").ToDictionary());

        _h.Portal.State.UpdateTicket(ticket.Id, status: "hold");
        _h.Portal.State.AddComment(ticket.Id, "Waiting for the vendor.");
        await _h.RunAsync();

        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal(2, psa.StatusId);
        Assert.Contains(_h.Psa.State.NotesOf(psa.Id), n => n.Text.Contains("Waiting for the vendor.", StringComparison.Ordinal));
        Assert.Equal(HoldKind.UnmappedStatus, (await _h.LinkAsync(ticket.Id)).HeldKind);

        await _h.ConfirmSettingsAsync(s => s.StatusMap = statuses);
        await _h.RunAsync();

        Assert.Equal(4, _h.PsaTicketOf(ticket.Id).StatusId);
        Assert.Null((await _h.LinkAsync(ticket.Id)).HeldReason);
    }

    [Fact]
    public async Task RunAsync_KeepsANoteOfAClosedPortalTicketInThePsa_WithoutTryingAgain()
    {
        var ticket = _h.Portal.State.AddTicket("Closing", "Solved by itself.", clusterId: "CL-000020");
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(ticket.Id).Id;
        _h.Portal.State.UpdateTicket(ticket.Id, status: "closed");
        await _h.RunAsync();

        _h.Psa.State.AddTicketNote(psaId, "Late note.", null);
        var result = await _h.RunAsync();

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        Assert.Single(_h.Portal.State.Comments(ticket.Id));
        var link = await _h.LinkAsync(ticket.Id);
        Assert.Null(link.HeldReason);
        await _h.RunAsync();
        Assert.Equal(0, (await _h.RunAsync()).Counts.Written);
        Assert.Single(await _h.LedgerAsync(link.Id), e => e.Subject == "Note" && e.Result == LedgerResult.NotSynced);
        Assert.Equal(6, _h.PsaTicketOf(ticket.Id).StatusId);
    }

    [Fact]
    public async Task RunAsync_KeepsThePsaTicketOfADeletedPortalTicket_AndNeverCreatesOneForATicketDeletedWhileHeld()
    {
        var linked = _h.Portal.State.AddTicket("Delete me later", "Linked first.", clusterId: "CL-000025");
        var held = _h.Portal.State.AddTicket("Delete me now", "Never linked.", clusterId: "CL-888888");
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(linked.Id).Id;

        _h.Portal.State.DeleteTicket(linked.Id);
        _h.Portal.State.DeleteTicket(held.Id);
        var result = await _h.RunAsync();

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        Assert.Equal(psaId, _h.PsaTicketOf(linked.Id).Id);
        Assert.Contains(await _h.LedgerAsync((await _h.LinkAsync(linked.Id)).Id), e => e.Detail.Contains("never deletes PSA tickets", StringComparison.Ordinal));
        var heldLink = await _h.LinkAsync(held.Id);
        Assert.Null(heldLink.HeldReason);
        Assert.Empty(_h.Psa.State.TicketsWithExternalXRef(held.Id.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(0, (await _h.RunAsync()).Counts.Written);
    }

    [Fact]
    public async Task RunAsync_IsRecordedAsATicketsSyncRun_WithCountsAndApiCalls()
    {
        _h.Portal.State.AddTicket("Recorded", "Count me.", clusterId: "CL-000021");

        var result = await _h.RunAsync();

        await using var db = _h.Db();
        var run = await db.SyncRuns.SingleAsync(r => r.Id == result.RunId, Ct);
        Assert.Equal((SyncRunKind.Tickets, SyncRunStatus.Succeeded), (run.Kind, run.Status));
        Assert.True(run.ApiCalls >= 5, $"{run.ApiCalls} API calls");
        Assert.Equal(result.ApiCalls, run.ApiCalls);
        Assert.Equal((1, 1), (run.RowsRead, run.RowsUpserted));
        Assert.Contains("1 ConnectWise ticket created", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MakesAtMostTwoApiCalls_WhenNothingChanged()
    {
        var ticket = _h.Portal.State.AddTicket("Quiet", "Nothing happens after this.", clusterId: "CL-000023");
        await _h.RunAsync();
        await _h.RunAsync();
        await _h.RunAsync();

        var idle = await _h.RunAsync();

        Assert.Equal(0, idle.Counts.Examined);
        Assert.True(idle.ApiCalls <= 2, $"{idle.ApiCalls} API calls");
        Assert.NotNull((await _h.LinkAsync(ticket.Id)).PsaTicketId);
    }

    [Fact]
    public async Task RunAsync_IsSkipped_WhileAnotherRunHoldsTheConnectionsLock_OrWhenSyncIsOff()
    {
        var distributedLock = new Medallion.Threading.Postgres.PostgresDistributedLock(TicketSyncEngine.LockKey(_h.ConnectionId), _h.ConnectionString);
        await using (await distributedLock.AcquireAsync(cancellationToken: Ct))
        {
            Assert.Equal(SyncRunStatus.Skipped, (await _h.RunAsync()).Status);
        }

        await _h.ConfirmSettingsAsync(s => s.SyncEnabled = false);
        var off = await _h.RunAsync();

        Assert.Equal(SyncRunStatus.Skipped, off.Status);
        Assert.Contains("switched off", off.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResyncAsync_ReadsBothSidesAfresh_AndSyncsWhatTheSnapshotsMissed()
    {
        var ticket = _h.Portal.State.AddTicket("Resync me", "Please.", clusterId: "CL-000024");
        await _h.RunAsync();
        var link = await _h.LinkAsync(ticket.Id);
        // Changes the next scheduled run would only see through the export: a resync reads them itself.
        _h.Portal.State.AddComment(ticket.Id, "Seen by the resync.");
        _h.Portal.State.UpdateTicket(ticket.Id, subject: "Resynced subject");

        var result = await _h.ResyncAsync(link.Id);

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal("Resynced subject", psa.Summary);
        Assert.Contains(_h.Psa.State.NotesOf(psa.Id), n => n.Text.Contains("Seen by the resync.", StringComparison.Ordinal));
    }

    // ConnectWise returns a carriage return or a line feed sent through the API as a space (Developer Guide, Escaping Characters).
    private static string AsConnectWiseReturns(string text) => text.Replace('\r', ' ').Replace('\n', ' ');
}
