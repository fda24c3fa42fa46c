using System.Globalization;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>
/// The portal and the PSA number their comments and notes independently, so the same number can stand for a portal comment
/// EasyConnect wrote and for a new note of a technician (Halo's action ids and the portal's comment ids are both near 10,000 in the
/// sandboxes). A note is recognised as EasyConnect's own write only by the writes to its own side: a portal comment that shares its number
/// with a note EasyConnect wrote is still copied (and a note that shares one with a comment EasyConnect wrote).
/// </summary>
public sealed class HaloNoteIdTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres, psaKind: TicketSuitePsa.Halo);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_CopiesAPortalComment_WhenItsIdIsThatOfANoteEasyConnectWrote()
    {
        // Arrange: a linked ticket whose portal comment EasyConnect copies to Halo as note N.
        await _h.ConfirmSettingsAsync();
        var portal = _h.Portal.State.AddTicket("Printer jams", "Tray 2 jams.", clusterId: "CL-000031", priority: "normal", status: "open");
        _h.Portal.State.AddComment(portal.Id, "It jams on every second page.");
        await _h.RunAsync();
        var psa = _h.PsaTicketOf(portal.Id);
        var note = Assert.Single(_h.Psa.NotesOf(psa.Id), n => n.Text.EndsWith("It jams on every second page.", StringComparison.Ordinal));
        var noteId = long.Parse(note.Id, CultureInfo.InvariantCulture);

        // The customer goes on writing until the portal's next comment takes the number of that note. A comment takes two numbers
        // (its audit's and its own), an update without a comment one.
        var comments = new List<string>();
        var last = _h.Portal.State.Comments(portal.Id).Max(c => c.Id);
        for (var i = 0; last + 2 < noteId - 1; i++)
        {
            last = _h.Portal.State.AddComment(portal.Id, $"Update {i}.").Id;
            comments.Add($"Update {i}.");
        }

        if (last + 2 == noteId - 1)
        {
            _h.Portal.State.UpdateTicket(portal.Id);
        }

        var clash = _h.Portal.State.AddComment(portal.Id, "Now it jams on every page.");

        // Act
        await _h.RunAsync();
        var settled = await _h.RunAsync();

        // Assert
        Assert.Equal(noteId, clash.Id);
        var notes = _h.Psa.NotesOf(psa.Id);
        Assert.Single(notes, n => n.Text.EndsWith("Now it jams on every page.", StringComparison.Ordinal));
        Assert.All(comments, c => Assert.Single(notes, n => n.Text.EndsWith(c, StringComparison.Ordinal)));
        Assert.Equal(0, settled.Counts.Written);
    }
}
