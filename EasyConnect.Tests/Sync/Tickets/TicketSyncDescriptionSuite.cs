using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>The description rules of DESIGN §3: one side's change reaches the other once, and a conflict keeps the losing text.</summary>
public abstract class TicketSyncDescriptionSuite(PostgresServer postgres, TicketSuitePsa psa) : TicketSuite(postgres, psa)
{
    [Fact]
    public async Task RunAsync_SendsAPsaDescriptionChangeToThePortalAsAPrivateCommentOnce()
    {
        var ticket = Portal.AddTicket("Printer", "Cannot print.", clusterId: "CL-000012");
        await H.RunAsync();
        var psaId = H.PsaTicketOf(ticket.Id).Id;

        Psa.EditDescription(psaId, "Cannot print to the second-floor printer only.");
        await H.RunAsync();
        await H.RunAsync();

        var comments = Portal.Comments(ticket.Id);
        Assert.Equal(2, comments.Count);
        Assert.Equal($"Description updated in {Psa.ProductName}:\nCannot print to the second-floor printer only.", comments[1].Body);
        Assert.False(comments[1].Public);
        Assert.Equal("Cannot print.", Portal.FindTicket(ticket.Id)!.Description);
        Assert.Empty(Psa.NotesOf(psaId));
    }

    [Fact]
    public async Task RunAsync_RewritesThePsaDescription_WhenThePortalDescriptionChanges()
    {
        var ticket = Portal.AddTicket("Password", "My password is hunter2, please reset it.", clusterId: "CL-000013");
        await H.RunAsync();

        Portal.EditDescription(ticket.Id, "My password is ▇▇▇▇▇▇▇, please reset it.");
        await H.RunAsync();

        var psaId = H.PsaTicketOf(ticket.Id).Id;
        Assert.Equal("My password is ▇▇▇▇▇▇▇, please reset it.", Psa.DescriptionOf(psaId));
        Assert.Empty(Psa.NotesOf(psaId));
        Assert.Single(Portal.Comments(ticket.Id));
    }

    [Fact]
    public async Task RunAsync_LetsTheNewerDescriptionWin_KeepsTheOtherAsANote_AndFlagsTheTicket_WhenBothChanged()
    {
        var ticket = Portal.AddTicket("Laptop", "Screen flickers.", clusterId: "CL-000014");
        await H.RunAsync();
        var psaId = H.PsaTicketOf(ticket.Id).Id;

        Portal.EditDescription(ticket.Id, "Screen flickers when docked.");
        await H.WaitPastStampAsync();
        Psa.EditDescription(psaId, "Screen flickers; replaced the cable.");
        await H.RunAsync();

        var comments = Portal.Comments(ticket.Id);
        Assert.Equal($"Description updated in {Psa.ProductName}:\nScreen flickers; replaced the cable.", comments[^1].Body);
        Assert.Equal("Screen flickers; replaced the cable.", Psa.DescriptionOf(psaId));
        var kept = Assert.Single(Psa.NotesOf(psaId));
        Assert.Equal(PsaSandboxNoteVisibility.Internal, kept.Visibility);
        Assert.EndsWith(Psa.AsStored("The portal's description was:\nScreen flickers when docked."), kept.Text, StringComparison.Ordinal);
        var link = await H.LinkAsync(ticket.Id);
        Assert.NotNull(link.ConflictAt);
        Assert.Contains(await H.LedgerAsync(link.Id), e => e.Result == LedgerResult.Conflict);

        // Settled: nothing more moves.
        Assert.Equal(0, (await H.RunAsync()).Counts.Written);
        Assert.Equal(comments.Count, Portal.Comments(ticket.Id).Count);
    }

    [Fact]
    public async Task RunAsync_LetsThePortalWin_WhenItsDescriptionChangeIsNewer()
    {
        var ticket = Portal.AddTicket("Phone", "No dial tone.", clusterId: "CL-000015");
        await H.RunAsync();
        var psaId = H.PsaTicketOf(ticket.Id).Id;

        Psa.EditDescription(psaId, "No dial tone on desk 4.");
        await H.WaitPastStampAsync();
        Portal.EditDescription(ticket.Id, "No dial tone on any desk.");
        await H.RunAsync();

        Assert.Equal("No dial tone on any desk.", Psa.DescriptionOf(psaId));
        var kept = Assert.Single(Psa.NotesOf(psaId));
        Assert.Equal(PsaSandboxNoteVisibility.Internal, kept.Visibility);
        Assert.EndsWith(Psa.AsStored($"The {Psa.ProductName} description was:\nNo dial tone on desk 4."), kept.Text, StringComparison.Ordinal);
        Assert.Single(Portal.Comments(ticket.Id));
        Assert.NotNull((await H.LinkAsync(ticket.Id)).ConflictAt);
    }
}
