using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>Intents stored by earlier versions stay readable: what they wrote is found, never written twice, never waited on for nothing.</summary>
public sealed class TicketSyncStoredIntentTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_CompletesAPendingDescriptionNoteIntent_WhenThePsaDescriptionHoldsItsText()
    {
        // Arrange: a portal description change whose Discussion note an earlier version added, but whose answer was lost.
        var ticket = _h.Portal.State.AddTicket("Scanner", "The scanner jams.", clusterId: "CL-000012");
        await _h.RunAsync();
        var link = await _h.LinkAsync(ticket.Id);
        var psaId = int.Parse(_h.PsaTicketOf(ticket.Id).Id, System.Globalization.CultureInfo.InvariantCulture);
        _h.Portal.State.EditDescription(ticket.Id, "The scanner jams on page two.");
        var text = TicketText.PsaDescription("Scanner", "The scanner jams on page two.");
        _h.ConnectWise.EditNote(_h.ConnectWise.NotesOf(psaId).Single(n => n.Discussion).Id, text);
        await using (var db = _h.Db())
        {
            db.SyncIntents.Add(new SyncIntent
            {
                ConnectionId = _h.ConnectionId, TicketLinkId = link.Id, Kind = IntentKind.CreatePsaNote, SourceKey = $"description:{TicketText.Hash(text)}",
                Text = text, State = IntentState.Pending, CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }

        // Act
        await _h.RunAsync();

        // Assert
        await using var check = _h.Db();
        var intent = await check.SyncIntents.SingleAsync(i => i.TicketLinkId == link.Id && i.Kind == IntentKind.CreatePsaNote, Ct);
        Assert.Equal(IntentState.Done, intent.State);
        Assert.Null(intent.ResultId);
        var after = await _h.LinkAsync(ticket.Id);
        Assert.Null(after.LastError);
        Assert.Null(after.ConflictAt);
        var note = Assert.Single(_h.ConnectWise.NotesOf(psaId));
        Assert.Equal(text, note.Text);
        Assert.Single(_h.Portal.State.Comments(ticket.Id));
    }
}
