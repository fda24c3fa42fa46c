using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Sync.Sandbox.Autotask;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Tickets;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Settings;

/// <summary>
/// The Autotask note settings of Advanced Settings, over the Autotask sandbox and the real Autotask client on loopback and a real
/// PostgreSQL: what is offered, what is saved, and what the ticket sync writes with them.
/// </summary>
public sealed class AutotaskNoteSettingsTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AutotaskSandboxState Autotask => ((AutotaskPsaSandbox)_h.Psa).State;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres, psaKind: TicketSuitePsa.Autotask);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task NoteSettingsAsync_OffersTheTenantsActiveInternalPublishLevelsAndNoteTypes_WithTheirLabels()
    {
        // Act
        var offer = await _h.SettingsStore.NoteSettingsAsync(_h.ConnectionId, Ct);

        // Assert
        Assert.Null(offer.Problem);
        Assert.Equal([AutotaskProduct.NotePublish, AutotaskProduct.NoteType], offer.Settings.Select(s => s.Setting.Key));
        var publish = offer.Settings[0].Choices;
        Assert.Equal([new PsaChoice("2", "Internal Project Team"), new PsaChoice("4", "Internal & Co-Managed")], publish.Values);
        Assert.Equal("2", publish.Suggested);
        var types = offer.Settings[1].Choices;
        Assert.Equal([new PsaChoice("1", "Task Summary"), new PsaChoice("2", "Task Detail"), new PsaChoice("3", "Task Notes")], types.Values);
        Assert.Equal("1", types.Suggested);
    }

    [Fact]
    public async Task PrefillNoteSettings_SuggestsMissingValues_AndReplacesOneAutotaskNoLongerOffers()
    {
        // Arrange
        var settings = await _h.SettingsStore.GetAsync(_h.ConnectionId, Ct);
        settings.NoteOptions = new() { [AutotaskProduct.NoteType] = "13" };
        var offer = await _h.SettingsStore.NoteSettingsAsync(_h.ConnectionId, Ct);

        // Act
        AdvancedSettingsStore.PrefillNoteSettings(settings, offer);

        // Assert
        Assert.Equal(new Dictionary<string, string> { [AutotaskProduct.NotePublish] = "2", [AutotaskProduct.NoteType] = "1" }, settings.NoteOptions);
    }

    [Fact]
    public async Task SaveAsync_AsksForEachNoteSetting_WhenOneIsMissing()
    {
        // Arrange
        var settings = await _h.SettingsStore.GetAsync(_h.ConnectionId, Ct);
        settings.NoteOptions = new() { [AutotaskProduct.NotePublish] = "2" };

        // Act
        var problems = await _h.SettingsStore.SaveAsync(settings, "admin@msp.example", Ct);

        // Assert
        Assert.Equal(["Choose the note type."], problems);
    }

    [Fact]
    public async Task SaveAsync_RefusesANoteTypeAutotaskDoesNotOffer_AndSavesAnOfferedOneWithItsLabelInTheAuditLog()
    {
        // Arrange
        var settings = await _h.SettingsStore.GetAsync(_h.ConnectionId, Ct);
        settings.NoteOptions = new() { [AutotaskProduct.NotePublish] = "4", [AutotaskProduct.NoteType] = "13" };

        // Act
        var refused = await _h.SettingsStore.SaveAsync(settings, "admin@msp.example", Ct);
        settings.NoteOptions = new() { [AutotaskProduct.NotePublish] = "4", [AutotaskProduct.NoteType] = "3" };
        var saved = await _h.SettingsStore.SaveAsync(settings, "admin@msp.example", Ct);

        // Assert
        Assert.Equal(["The note type chosen is not one Autotask offers now: choose another."], refused);
        Assert.Empty(saved);
        var stored = await _h.SettingsStore.GetAsync(_h.ConnectionId, Ct);
        Assert.Equal(new Dictionary<string, string> { [AutotaskProduct.NotePublish] = "4", [AutotaskProduct.NoteType] = "3" }, stored.NoteOptions);
        await using var db = _h.Db();
        var audit = Assert.Single(await db.AuditEntries.Where(a => a.Action == "Advanced Settings changed").ToListAsync(Ct));
        Assert.Contains("note type: Task Notes (3) (was none)", audit.Details, StringComparison.Ordinal);
        Assert.Contains("publish level of notes: Internal & Co-Managed (4) (was none)", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveAsync_RefusesTheTagNumber_WhichAutotaskDoesNotOfferForAClusterId()
    {
        // Arrange
        var settings = await _h.SettingsStore.GetAsync(_h.ConnectionId, Ct);
        settings.NoteOptions = new() { [AutotaskProduct.NotePublish] = "2", [AutotaskProduct.NoteType] = "3" };
        settings.ClusterIdMatch = ClusterIdMatch.TagNumber;

        // Act
        var problems = await _h.SettingsStore.SaveAsync(settings, "admin@msp.example", Ct);

        // Assert
        var problem = Assert.Single(problems);
        Assert.Contains("reference title, serial number, user-defined field (UDF)", problem, StringComparison.Ordinal);
        Assert.Equal(
            [(ClusterIdMatch.Name, "reference title"), (ClusterIdMatch.SerialNumber, "serial number"), (ClusterIdMatch.CustomField, "user-defined field (UDF)")],
            AdvancedSettingsStore.ClusterIdChoices(AutotaskProduct.Description));
    }

    [Fact]
    public async Task RunAsync_WritesTheCommentsNoteWithTheChosenPublishLevelAndNoteType_AndNeverReadsItBack()
    {
        // Arrange
        await _h.ConfirmSettingsAsync(s => s.NoteOptions = new() { [AutotaskProduct.NotePublish] = "4", [AutotaskProduct.NoteType] = "3" });
        var ticket = _h.Portal.State.AddTicket("Slow file share", "Opening files takes minutes.", clusterId: "CL-000005");
        _h.Portal.State.AddComment(ticket.Id, "Worse since lunch.");

        // Act
        await _h.RunAsync();
        for (var i = 0; i < 3; i++)
        {
            await _h.RunAsync();
        }

        var idle = await _h.RunAsync();

        // Assert
        var psaId = long.Parse(_h.PsaTicketOf(ticket.Id).Id, System.Globalization.CultureInfo.InvariantCulture);
        var notes = Autotask.Ids(AutotaskSandboxState.TicketNotes).Select(id => Autotask.Find(AutotaskSandboxState.TicketNotes, id)!)
            .Where(n => n["ticketID"]!.GetValue<long>() == psaId).ToList();
        var note = Assert.Single(notes);
        Assert.Contains("Worse since lunch.", note["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((4, 3), (note["publish"]!.GetValue<int>(), note["noteType"]!.GetValue<int>()));
        Assert.Equal(Autotask.ApiResourceId, note["creatorResourceID"]!.GetValue<long>());
        Assert.Equal(["Opening files takes minutes.", "Worse since lunch."], _h.Portal.State.Comments(ticket.Id).Select(c => c.Body));
        Assert.Equal(0, idle.Counts.Written);
    }

    [Fact]
    public async Task RunAsync_HoldsTheTicketWithAutotasksReason_WhenTheChosenNoteTypeIsInactive_AndSyncsOnceItIsChanged()
    {
        // Arrange
        await _h.ConfirmSettingsAsync(s => s.NoteOptions = new() { [AutotaskProduct.NotePublish] = "2", [AutotaskProduct.NoteType] = "13" });
        var ticket = _h.Portal.State.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");
        _h.Portal.State.AddComment(ticket.Id, "Still out of toner.");

        // Act
        await _h.RunAsync();
        var held = await _h.LinkAsync(ticket.Id);
        await _h.ConfirmSettingsAsync(s => s.NoteOptions = new() { [AutotaskProduct.NotePublish] = "2", [AutotaskProduct.NoteType] = "3" });
        await _h.RunAsync();

        // Assert
        Assert.Equal(HoldKind.PsaRefused, held.HeldKind);
        Assert.Contains("noteType", held.HeldReason, StringComparison.Ordinal);
        Assert.Contains("inactive", held.HeldReason, StringComparison.Ordinal);
        var released = await _h.LinkAsync(ticket.Id);
        Assert.Null(released.HeldReason);
        var psaId = _h.PsaTicketOf(ticket.Id).Id;
        Assert.Single(_h.Psa.NotesOf(psaId), n => n.Text.Contains("Still out of toner.", StringComparison.Ordinal));
    }
}
