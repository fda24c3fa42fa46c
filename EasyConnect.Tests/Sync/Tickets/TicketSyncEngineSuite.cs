using EasyConnect.Sync.Runs;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>The mapping rules of DESIGN §3, each against a PSA sandbox and the portal sandbox over real HTTP and a real PostgreSQL.</summary>
public abstract class TicketSyncEngineSuite(PostgresServer postgres, TicketSuitePsa psa) : TicketSuite(postgres, psa)
{
    private const string Ava = TicketHarness.Ava;
    private const string Customer = "hannah@contoso.example";

    [Fact]
    public async Task RunAsync_CreatesPsaTicketWithEveryMappedField_WhenNewPortalTicket()
    {
        var ticket = Portal.AddTicket("Server is not responding", "The file server stopped answering at 9:00.\nEveryone is affected.",
            clusterId: "CL-000007", priority: "high", status: "open", requesterEmail: Customer);

        var result = await H.RunAsync();

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        Assert.Equal(1, result.Counts.Created);
        var psa = H.PsaTicketOf(ticket.Id);
        Assert.Equal("Server is not responding", psa.Summary);
        Assert.Equal((H.Board, H.Statuses["open"], H.Priorities["high"], H.CompanyOf("CL-000007")), (psa.BoardId, psa.StatusId, psa.PriorityId, psa.CompanyId));
        Assert.Equal([H.ConfigurationOf("CL-000007")], psa.ConfigurationIds);
        Assert.Equal(Psa.AsStored(ticket.Description), Psa.DescriptionOf(psa.Id));
        Assert.Empty(Psa.NotesOf(psa.Id));
        Assert.Equal(psa.Id, Portal.FindTicket(ticket.Id)!.ExternalId);
        var link = await H.LinkAsync(ticket.Id);
        Assert.Null(link.HeldReason);
        Assert.Equal(psa.Id, link.PsaTicketId);
        var ledger = await H.LedgerAsync(link.Id);
        var (priority, status) = (Psa.Priorities().Single(p => p.Id == psa.PriorityId).Name, Psa.Statuses(H.Board).Single(s => s.Id == psa.StatusId).Name);
        Assert.Contains(ledger, e => e.Subject == "Ticket" && e.Result == LedgerResult.Synced && e.Direction == SyncDirection.PortalToPsa
            && e.Detail.Contains(priority, StringComparison.Ordinal) && e.Detail.Contains(status, StringComparison.Ordinal));
        Assert.Contains(ledger, e => e.Subject == "Configuration" && e.Detail.Contains("CL-000007", StringComparison.Ordinal));
        // The description came back as the PSA stores it (ConnectWise: a space for its line break): that is no change to write back.
        Assert.Equal(0, (await H.RunAsync()).Counts.Written);
    }

    [Fact]
    public async Task RunAsync_ShortensASubjectPastThePsasLimit_AndKeepsItWholeInTheDescription()
    {
        // Half as long again as the PSA's summary limit (150 characters for ConnectWise's 100).
        var subject = string.Join(' ', Enumerable.Repeat("Printer-queue", Psa.SummaryLimit / 7)) + " stuck on floor 3 since Monday";
        subject = subject[..(Psa.SummaryLimit * 3 / 2)];
        var ticket = Portal.AddTicket(subject, "Nothing prints.", clusterId: "CL-000003");

        await H.RunAsync();

        var psa = H.PsaTicketOf(ticket.Id);
        Assert.True(psa.Summary.Length <= Psa.SummaryLimit, $"summary has {psa.Summary.Length} characters");
        Assert.EndsWith("…", psa.Summary, StringComparison.Ordinal);
        Assert.StartsWith(psa.Summary[..^1], subject, StringComparison.Ordinal);
        Assert.Equal(Psa.AsStored($"Subject: {subject}\n\nNothing prints."), Psa.DescriptionOf(psa.Id));
    }

    [Fact]
    public async Task RunAsync_CopiesCommentsToInternalNotes_AttributedToTheMappedMemberOrNamingTheAuthor()
    {
        var member = await H.MapUserAsync(Ava);
        var ticket = Portal.AddTicket("VPN drops", "Every few minutes.", clusterId: "CL-000002", requesterEmail: Customer);
        Portal.AddComment(ticket.Id, "Still happening after the reboot.", Customer);
        Portal.AddComment(ticket.Id, "Checked the firewall logs.", Ava, isPublic: false);

        var result = await H.RunAsync();

        Assert.Equal(2, result.Counts.CommentsToNotes);
        var notes = Psa.NotesOf(H.PsaTicketOf(ticket.Id).Id);
        Assert.Equal(2, notes.Count);
        Assert.All(notes, n => Assert.Equal(PsaSandboxNoteVisibility.Internal, n.Visibility));
        Assert.Equal(Psa.AsStored("Hannah Contoso (hannah@contoso.example) wrote in the portal:\nStill happening after the reboot."), notes[0].Text);
        Assert.Equal(Psa.ApiMemberId, notes[0].AuthorId);
        Assert.Equal("Checked the firewall logs.", notes[1].Text);
        Assert.Equal(member, notes[1].AuthorId);
    }

    [Fact]
    public async Task RunAsync_CopiesInternalNotesToPrivateComments_AttributedToTheMappedUserOrNamingTheMember()
    {
        await H.MapUserAsync(Ava);
        var ticket = Portal.AddTicket("Backup failed", "The nightly job failed.", clusterId: "CL-000004");
        await H.RunAsync();
        var psaId = H.PsaTicketOf(ticket.Id).Id;
        var unmapped = Psa.MemberIdByEmail(TicketHarness.Liam)!;
        Psa.AddNote(psaId, "Restarted the backup service.", Psa.MemberIdByEmail(Ava));
        Psa.AddNote(psaId, "Ordered a new tape.", unmapped);
        Psa.AddNote(psaId, "Customer-facing update.", unmapped, PsaSandboxNoteVisibility.External);

        var result = await H.RunAsync();

        Assert.Equal(2, result.Counts.NotesToComments);
        var comments = Portal.Comments(ticket.Id).Skip(1).ToList();
        Assert.Equal(2, comments.Count);
        Assert.All(comments, c => Assert.False(c.Public));
        Assert.Equal("Restarted the backup service.", comments[0].Body);
        Assert.Equal(Portal.FindUserByEmail(Ava)!.Id, comments[0].AuthorId);
        Assert.Equal($"{Psa.MemberName(unmapped)} wrote in {Psa.ProductName}:\nOrdered a new tape.", comments[1].Body);
        Assert.Equal(Portal.ApiUser.Id, comments[1].AuthorId);
    }

    [Fact]
    public async Task RunAsync_NeverEchoes_ANoteItMadeOrACommentItMade()
    {
        var ticket = Portal.AddTicket("Slow file share", "Opening files takes minutes.", clusterId: "CL-000005");
        Portal.AddComment(ticket.Id, "Worse since lunch.");
        await H.RunAsync();
        var psaId = H.PsaTicketOf(ticket.Id).Id;
        var technician = Psa.MemberIdByEmail(TicketHarness.Liam)!;
        Psa.AddNote(psaId, "Replaced the switch.", technician);

        for (var i = 0; i < 4; i++)
        {
            await H.RunAsync();
        }

        // The note EasyConnect made for the comment never came back as a comment, and the comment it made for the technician's note never became a note.
        var comments = Portal.Comments(ticket.Id);
        Assert.Equal(
            ["Opening files takes minutes.", "Worse since lunch.", $"{Psa.MemberName(technician)} wrote in {Psa.ProductName}:\nReplaced the switch."],
            comments.Select(c => c.Body));
        var notes = Psa.NotesOf(psaId);
        Assert.Equal(2, notes.Count);
        Assert.Single(notes, n => n.Text.Contains("Worse since lunch.", StringComparison.Ordinal));
        Assert.Single(notes, n => n.Text.Contains("Replaced the switch.", StringComparison.Ordinal));
        var idle = await H.RunAsync();
        Assert.Equal(0, idle.Counts.Written);
    }

    [Fact]
    public async Task RunAsync_SendsSubjectPriorityStatusAndClusterIdChanges_FromThePortal()
    {
        var ticket = Portal.AddTicket("Disk almost full", "C: has 1 GB left.", clusterId: "CL-000001", priority: "low", status: "new");
        await H.RunAsync();

        Portal.UpdateTicket(ticket.Id, subject: "Disk full", priority: "urgent", status: "pending", clusterId: "CL-000022");
        var result = await H.RunAsync();

        Assert.Equal(1, result.Counts.Updated);
        var psa = H.PsaTicketOf(ticket.Id);
        Assert.Equal(("Disk full", H.Priorities["urgent"], H.Statuses["pending"], H.CompanyOf("CL-000022")), (psa.Summary, psa.PriorityId, psa.StatusId, psa.CompanyId));
        string[] attached = [H.ConfigurationOf("CL-000001"), H.ConfigurationOf("CL-000022")];
        // The new company's configuration is attached; the old one stays where the PSA lets a ticket keep another company's.
        Assert.Equal(Psa.ConfigurationsFollowCompany ? [attached[^1]] : attached.TakeLast(Psa.MaxConfigurationsPerTicket), psa.ConfigurationIds);
        var ledger = await H.LedgerAsync((await H.LinkAsync(ticket.Id)).Id);
        Assert.Contains(ledger, e => e.Subject == "Priority" && e.Detail.Contains("low → urgent", StringComparison.Ordinal));
        Assert.Contains(ledger, e => e.Subject == "Status" && e.Detail.Contains("new → pending", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_DoesNotChangeThePortal_WhenPriorityOrStatusChangesInThePsa()
    {
        var ticket = Portal.AddTicket("Email not syncing", "On phones only.", clusterId: "CL-000006", priority: "normal", status: "open");
        await H.RunAsync();
        var psaId = H.PsaTicketOf(ticket.Id).Id;

        Psa.EditTicket(psaId, new PsaSandboxTicketEdit(PriorityId: H.Priorities["urgent"], StatusId: H.Statuses["hold"]));
        await H.RunAsync();
        await H.RunAsync();

        var portal = Portal.FindTicket(ticket.Id)!;
        Assert.Equal(("normal", "open"), (portal.Priority, portal.Status));
        var psa = H.PsaTicketOf(ticket.Id);
        Assert.Equal((H.Priorities["urgent"], H.Statuses["hold"]), (psa.PriorityId, psa.StatusId));
        var ledger = await H.LedgerAsync((await H.LinkAsync(ticket.Id)).Id);
        Assert.Single(ledger, e => e.Subject == "Priority" && e.Result == LedgerResult.NotSynced);
        Assert.Single(ledger, e => e.Subject == "Status" && e.Result == LedgerResult.NotSynced);
    }

    [Fact]
    public async Task RunAsync_HoldsAnUnknownClusterId_AndReleasesIt_WhenTheConfigurationAppearsInTheMirror()
    {
        var ticket = Portal.AddTicket("New firewall", "Please set it up.", clusterId: "CL-777777");

        var held = await H.RunAsync();

        Assert.Equal(1, held.Counts.Held);
        Assert.Empty(H.PsaTicketsOf(ticket.Id));
        var link = await H.LinkAsync(ticket.Id);
        Assert.Equal(HoldKind.UnknownClusterId, link.HeldKind);
        Assert.Contains($"\"CL-777777\" matches no {Psa.ProductName} {ConfigurationNoun}", link.HeldReason, StringComparison.Ordinal);
        Assert.Equal(0, (await H.RunAsync()).Counts.Held);

        var company = Psa.CompanyIds()[8];
        var configuration = Psa.AddConfiguration("Edge firewall", company, "CL-777777");
        await H.MirrorAsync();
        await H.RunAsync();

        var psa = H.PsaTicketOf(ticket.Id);
        Assert.Equal(company, psa.CompanyId);
        Assert.Equal([configuration], psa.ConfigurationIds);
        link = await H.LinkAsync(ticket.Id);
        Assert.Null(link.HeldReason);
        var ledger = await H.LedgerAsync(link.Id);
        Assert.Single(ledger, e => e.Result == LedgerResult.Held);
        Assert.Single(ledger, e => e.Result == LedgerResult.Released);
    }

    [Fact]
    public async Task RunAsync_UsesTheFallbackCompany_WhenTheClusterIdMatchesNothing()
    {
        var fallback = Psa.CompanyIds()[14];
        await H.ConfirmSettingsAsync(s => s.FallbackCompanyId = fallback);
        var ticket = Portal.AddTicket("Who am I", "No ClusterID here.");

        await H.RunAsync();

        var psa = H.PsaTicketOf(ticket.Id);
        Assert.Equal(fallback, psa.CompanyId);
        Assert.Empty(psa.ConfigurationIds);
    }

    [Fact]
    public async Task RunAsync_HoldsATicketThePsaRefuses_WithThePsasReason_AndReleasesItOnceFixed()
    {
        const string missing = "999";
        Assert.DoesNotContain(missing, Psa.CompanyIds());
        await H.ConfirmSettingsAsync(s => s.FallbackCompanyId = missing);
        var ticket = Portal.AddTicket("Refused", "The PSA will say no.");

        var result = await H.RunAsync();

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        var link = await H.LinkAsync(ticket.Id);
        Assert.Equal(HoldKind.PsaRefused, link.HeldKind);
        var reason = link.HeldReason ?? "";
        var refused = reason.IndexOf($"{Psa.ProductName} refused the new ticket", StringComparison.Ordinal);
        Assert.True(refused >= 0, reason);
        // The PSA's own reason follows, naming the company it does not know.
        Assert.Contains(missing, reason[refused..], StringComparison.Ordinal);

        var company = Psa.CompanyIds()[2];
        await H.ConfirmSettingsAsync(s => s.FallbackCompanyId = company);
        await H.RunAsync();

        Assert.Equal(company, H.PsaTicketOf(ticket.Id).CompanyId);
        Assert.Null((await H.LinkAsync(ticket.Id)).HeldReason);
    }

    [Fact]
    public async Task RunAsync_HoldsAnUnmappedPriority_AndReleasesIt_WhenMapped()
    {
        var (_, priorities, _) = H.Ids();
        await H.ConfirmSettingsAsync(s => s.PriorityMap = priorities.Where(p => p.Key != "urgent").ToDictionary());
        var ticket = Portal.AddTicket("Site down", "The whole office is offline.", clusterId: "CL-000010", priority: "urgent");

        await H.RunAsync();

        var link = await H.LinkAsync(ticket.Id);
        Assert.Equal(HoldKind.UnmappedPriority, link.HeldKind);
        Assert.Equal($"The portal priority \"urgent\" has no {Psa.ProductName} priority in the priority map: map it in Advanced Settings.", link.HeldReason);
        Assert.Empty(H.PsaTicketsOf(ticket.Id));

        await H.ConfirmSettingsAsync(s => s.PriorityMap = priorities);
        await H.RunAsync();

        Assert.Equal(H.Priorities["urgent"], H.PsaTicketOf(ticket.Id).PriorityId);
        Assert.Null((await H.LinkAsync(ticket.Id)).HeldReason);
    }

    [Fact]
    public async Task RunAsync_HoldsOnlyTheUnmappedStatusOfALinkedTicket_AndItsCommentsStillSync()
    {
        var (_, _, statuses) = H.Ids();
        var ticket = Portal.AddTicket("Wi-Fi", "Meeting room drops.", clusterId: "CL-000011", status: "open");
        await H.RunAsync();
        await H.ConfirmSettingsAsync(s => s.StatusMap = statuses.Where(p => p.Key != "hold").ToDictionary());

        Portal.UpdateTicket(ticket.Id, status: "hold");
        Portal.AddComment(ticket.Id, "Waiting for the vendor.");
        await H.RunAsync();

        var psa = H.PsaTicketOf(ticket.Id);
        Assert.Equal(H.Statuses["open"], psa.StatusId);
        Assert.Contains(Psa.NotesOf(psa.Id), n => n.Text.Contains("Waiting for the vendor.", StringComparison.Ordinal));
        Assert.Equal(HoldKind.UnmappedStatus, (await H.LinkAsync(ticket.Id)).HeldKind);

        await H.ConfirmSettingsAsync(s => s.StatusMap = statuses);
        await H.RunAsync();

        Assert.Equal(H.Statuses["hold"], H.PsaTicketOf(ticket.Id).StatusId);
        Assert.Null((await H.LinkAsync(ticket.Id)).HeldReason);
    }

    [Fact]
    public async Task RunAsync_KeepsANoteOfAClosedPortalTicketInThePsa_WithoutTryingAgain()
    {
        var ticket = Portal.AddTicket("Closing", "Solved by itself.", clusterId: "CL-000020");
        await H.RunAsync();
        var psaId = H.PsaTicketOf(ticket.Id).Id;
        Portal.UpdateTicket(ticket.Id, status: "closed");
        await H.RunAsync();

        Psa.AddNote(psaId, "Late note.");
        var result = await H.RunAsync();

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        Assert.Single(Portal.Comments(ticket.Id));
        var link = await H.LinkAsync(ticket.Id);
        Assert.Null(link.HeldReason);
        await H.RunAsync();
        Assert.Equal(0, (await H.RunAsync()).Counts.Written);
        Assert.Single(await H.LedgerAsync(link.Id), e => e.Subject == "Note" && e.Result == LedgerResult.NotSynced);
        Assert.Equal(H.Statuses["closed"], H.PsaTicketOf(ticket.Id).StatusId);
    }

    [Fact]
    public async Task RunAsync_KeepsThePsaTicketOfADeletedPortalTicket_AndNeverCreatesOneForATicketDeletedWhileHeld()
    {
        var linked = Portal.AddTicket("Delete me later", "Linked first.", clusterId: "CL-000025");
        var held = Portal.AddTicket("Delete me now", "Never linked.", clusterId: "CL-888888");
        await H.RunAsync();
        var psaId = H.PsaTicketOf(linked.Id).Id;

        Portal.DeleteTicket(linked.Id);
        Portal.DeleteTicket(held.Id);
        var result = await H.RunAsync();

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        Assert.Equal(psaId, H.PsaTicketOf(linked.Id).Id);
        Assert.Contains(await H.LedgerAsync((await H.LinkAsync(linked.Id)).Id), e => e.Detail.Contains("never deletes PSA tickets", StringComparison.Ordinal));
        var heldLink = await H.LinkAsync(held.Id);
        Assert.Null(heldLink.HeldReason);
        Assert.Empty(H.PsaTicketsOf(held.Id));
        Assert.Equal(0, (await H.RunAsync()).Counts.Written);
    }

    [Fact]
    public async Task RunAsync_IsRecordedAsATicketsSyncRun_WithCountsAndApiCalls()
    {
        Portal.AddTicket("Recorded", "Count me.", clusterId: "CL-000021");

        var result = await H.RunAsync();

        await using var db = H.Db();
        var run = await db.SyncRuns.SingleAsync(r => r.Id == result.RunId, Ct);
        Assert.Equal((SyncRunKind.Tickets, SyncRunStatus.Succeeded), (run.Kind, run.Status));
        Assert.True(run.ApiCalls >= 5, $"{run.ApiCalls} API calls");
        Assert.Equal(result.ApiCalls, run.ApiCalls);
        Assert.Equal((1, 1), (run.RowsRead, run.RowsUpserted));
        Assert.Contains($"1 {Psa.ProductName} ticket created", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MakesAtMostTwoApiCalls_WhenNothingChanged()
    {
        var ticket = Portal.AddTicket("Quiet", "Nothing happens after this.", clusterId: "CL-000023");
        await H.RunAsync();
        await H.RunAsync();
        await H.RunAsync();

        var idle = await H.RunAsync();

        Assert.Equal(0, idle.Counts.Examined);
        Assert.True(idle.ApiCalls <= 2, $"{idle.ApiCalls} API calls");
        Assert.NotNull((await H.LinkAsync(ticket.Id)).PsaTicketId);
    }

    [Fact]
    public async Task RunAsync_IsSkipped_WhileAnotherRunHoldsTheConnectionsLock_OrWhenSyncIsOff()
    {
        var distributedLock = new Medallion.Threading.Postgres.PostgresDistributedLock(TicketSyncEngine.LockKey(H.ConnectionId), H.ConnectionString);
        await using (await distributedLock.AcquireAsync(cancellationToken: Ct))
        {
            Assert.Equal(SyncRunStatus.Skipped, (await H.RunAsync()).Status);
        }

        await H.ConfirmSettingsAsync(s => s.SyncEnabled = false);
        var off = await H.RunAsync();

        Assert.Equal(SyncRunStatus.Skipped, off.Status);
        Assert.Contains("switched off", off.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResyncAsync_ReadsBothSidesAfresh_AndSyncsWhatTheSnapshotsMissed()
    {
        var ticket = Portal.AddTicket("Resync me", "Please.", clusterId: "CL-000024");
        await H.RunAsync();
        var link = await H.LinkAsync(ticket.Id);
        // Changes the next scheduled run would only see through the export: a resync reads them itself.
        Portal.AddComment(ticket.Id, "Seen by the resync.");
        Portal.UpdateTicket(ticket.Id, subject: "Resynced subject");

        var result = await H.ResyncAsync(link.Id);

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        var psa = H.PsaTicketOf(ticket.Id);
        Assert.Equal("Resynced subject", psa.Summary);
        Assert.Contains(Psa.NotesOf(psa.Id), n => n.Text.Contains("Seen by the resync.", StringComparison.Ordinal));
    }
}
