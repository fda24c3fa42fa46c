using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>The description rules of DESIGN §3: one side's change reaches the other once, and a conflict keeps the losing text.</summary>
public sealed class TicketSyncDescriptionTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_SendsAPsaDescriptionChangeToThePortalAsAPrivateCommentOnce()
    {
        var ticket = _h.Portal.State.AddTicket("Printer", "Cannot print.", clusterId: "CL-000012");
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(ticket.Id).Id;
        var note = _h.Psa.State.NotesOf(psaId).Single(n => n.Discussion);

        _h.Psa.State.EditNote(note.Id, "Cannot print to the second-floor printer only.");
        await _h.RunAsync();
        await _h.RunAsync();

        var comments = _h.Portal.State.Comments(ticket.Id);
        Assert.Equal(2, comments.Count);
        Assert.Equal("Description updated in ConnectWise:\nCannot print to the second-floor printer only.", comments[1].Body);
        Assert.False(comments[1].Public);
        Assert.Equal("Cannot print.", _h.Portal.State.FindTicket(ticket.Id)!.Description);
        Assert.Single(_h.Psa.State.NotesOf(psaId));
    }

    [Fact]
    public async Task RunAsync_RewritesTheDiscussionNote_WhenThePortalDescriptionChanges()
    {
        var ticket = _h.Portal.State.AddTicket("Password", "My password is hunter2, please reset it.", clusterId: "CL-000013");
        await _h.RunAsync();

        _h.Portal.State.EditDescription(ticket.Id, "My password is ▇▇▇▇▇▇▇, please reset it.");
        await _h.RunAsync();

        var notes = _h.Psa.State.NotesOf(_h.PsaTicketOf(ticket.Id).Id);
        var description = Assert.Single(notes);
        Assert.True(description.Discussion);
        Assert.Equal("My password is ▇▇▇▇▇▇▇, please reset it.", description.Text);
        Assert.Single(_h.Portal.State.Comments(ticket.Id));
    }

    [Fact]
    public async Task RunAsync_LetsTheNewerDescriptionWin_KeepsTheOtherAsANote_AndFlagsTheTicket_WhenBothChanged()
    {
        var ticket = _h.Portal.State.AddTicket("Laptop", "Screen flickers.", clusterId: "CL-000014");
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(ticket.Id).Id;
        var note = _h.Psa.State.NotesOf(psaId).Single(n => n.Discussion);

        _h.Portal.State.EditDescription(ticket.Id, "Screen flickers when docked.");
        await Task.Delay(1100, Ct);
        _h.Psa.State.EditNote(note.Id, "Screen flickers; replaced the cable.");
        await _h.RunAsync();

        var comments = _h.Portal.State.Comments(ticket.Id);
        Assert.Equal("Description updated in ConnectWise:\nScreen flickers; replaced the cable.", comments[^1].Body);
        var notes = _h.Psa.State.NotesOf(psaId);
        Assert.Equal("Screen flickers; replaced the cable.", notes.Single(n => n.Discussion).Text);
        var kept = Assert.Single(notes, n => n.Internal);
        Assert.EndsWith(AsConnectWiseReturns("The portal's description was:\nScreen flickers when docked."), kept.Text, StringComparison.Ordinal);
        var link = await _h.LinkAsync(ticket.Id);
        Assert.NotNull(link.ConflictAt);
        Assert.Contains(await _h.LedgerAsync(link.Id), e => e.Result == LedgerResult.Conflict);

        // Settled: nothing more moves.
        Assert.Equal(0, (await _h.RunAsync()).Counts.Written);
        Assert.Equal(comments.Count, _h.Portal.State.Comments(ticket.Id).Count);
    }

    [Fact]
    public async Task RunAsync_LetsThePortalWin_WhenItsDescriptionChangeIsNewer()
    {
        var ticket = _h.Portal.State.AddTicket("Phone", "No dial tone.", clusterId: "CL-000015");
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(ticket.Id).Id;
        var note = _h.Psa.State.NotesOf(psaId).Single(n => n.Discussion);

        _h.Psa.State.EditNote(note.Id, "No dial tone on desk 4.");
        await Task.Delay(1100, Ct);
        _h.Portal.State.EditDescription(ticket.Id, "No dial tone on any desk.");
        await _h.RunAsync();

        var notes = _h.Psa.State.NotesOf(psaId);
        Assert.Equal("No dial tone on any desk.", notes.Single(n => n.Discussion).Text);
        Assert.EndsWith(AsConnectWiseReturns("The ConnectWise description was:\nNo dial tone on desk 4."), Assert.Single(notes, n => n.Internal).Text, StringComparison.Ordinal);
        Assert.Single(_h.Portal.State.Comments(ticket.Id));
        Assert.NotNull((await _h.LinkAsync(ticket.Id)).ConflictAt);
    }

    // ConnectWise returns a carriage return or a line feed sent through the API as a space (Developer Guide, Escaping Characters).
    private static string AsConnectWiseReturns(string text) => text.Replace('\r', ' ').Replace('\n', ' ');
}
