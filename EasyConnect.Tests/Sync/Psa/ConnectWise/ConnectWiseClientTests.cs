using EasyConnect.Sync.Psa;

namespace EasyConnect.Tests.Sync.Psa.ConnectWise;

/// <summary>Every operation of the ConnectWise client against the sandbox, over real HTTP.</summary>
public sealed class ConnectWiseClientTests : IAsyncLifetime
{
    private ConnectWiseSandboxHost _host = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await ConnectWiseSandboxHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TestConnectionAsync_PassesEveryItem_WhenKeysAndPermissionsAreRight()
    {
        var client = _host.Client();

        var items = await client.TestConnectionAsync(Ct);

        Assert.All(items, i => Assert.True(i.Passed, $"{i.Name}: {i.Message}"));
        Assert.Contains(items, i => i.Name.StartsWith("Configurations", StringComparison.Ordinal));
        Assert.Contains(items, i => i.Name.StartsWith("Board statuses", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TestConnectionAsync_FailsTheMissingPermissionOnly_WhenRoleLacksConfigurations()
    {
        _host.State.DenyPermission("company/configurations");
        var client = _host.Client();

        var items = await client.TestConnectionAsync(Ct);

        var failed = Assert.Single(items, i => !i.Passed);
        Assert.StartsWith("Configurations", failed.Name, StringComparison.Ordinal);
        Assert.Contains("Companies > Configurations", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnectionAsync_StopsAfterSignIn_WhenPrivateKeyIsWrong()
    {
        var client = _host.Client(_host.Credentials(privateKey: "wrong-private-key-1234"));

        var items = await client.TestConnectionAsync(Ct);

        Assert.Equal(["Reach ConnectWise", "Authentication"], items.Select(i => i.Name));
        Assert.False(items[1].Passed);
        Assert.DoesNotContain("wrong-private-key-1234", items[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PsaEntity.Members, 26)]
    [InlineData(PsaEntity.Companies, 20)]
    [InlineData(PsaEntity.Configurations, 200)]
    [InlineData(PsaEntity.Boards, 4)]
    [InlineData(PsaEntity.Statuses, 28)]
    [InlineData(PsaEntity.Priorities, 5)]
    [InlineData(PsaEntity.Tickets, 10)]
    public async Task ReadAsync_ReturnsEverySeededRecordOnce_WhenReadingInFull(PsaEntity entity, int expected)
    {
        var client = _host.Client();

        var records = await ReadAll(client, entity, null);

        Assert.Equal(expected, records.Count);
        Assert.Equal(expected, records.Select(r => r.Id).Distinct().Count());
        Assert.Equal(expected, await client.CountAsync(entity, null, Ct));
        Assert.All(records, r => Assert.NotEqual(default, r.LastModified));
    }

    [Fact]
    public async Task ReadAsync_MapsConnectWiseFields_WhenReadingMembersConfigurationsAndStatuses()
    {
        var client = _host.Client();

        var members = (await ReadAll(client, PsaEntity.Members, null)).Cast<PsaMember>().ToList();
        var configurations = (await ReadAll(client, PsaEntity.Configurations, null)).Cast<PsaConfiguration>().ToList();
        var statuses = (await ReadAll(client, PsaEntity.Statuses, null)).Cast<PsaStatus>().ToList();

        Assert.Contains(members, m => m.Inactive);
        Assert.All(members, m => Assert.Contains("@msp.example", Assert.Single(m.Emails), StringComparison.Ordinal));
        var first = configurations.Single(c => c.CustomFields["ClusterID"] == "CL-000001");
        Assert.StartsWith("CL-000001", first.Name, StringComparison.Ordinal);
        Assert.NotNull(first.CompanyId);
        Assert.All(statuses, s => Assert.NotNull(s.ScopeId));
        Assert.Contains(statuses, s => s.Closed);
    }

    [Fact]
    public async Task ReadAsync_PagesPast1000Rows_WhenThereAre2500Configurations()
    {
        await using var host = await ConnectWiseSandboxHost.StartAsync(s => s.Configurations = 2500);
        var client = host.Client();
        host.Faults.ResetRequests();

        var pages = new List<IReadOnlyList<IPsaRecord>>();
        await foreach (var page in client.ReadAsync(PsaEntity.Configurations, null, Ct))
        {
            pages.Add(page);
        }

        Assert.Equal([1000, 1000, 500], pages.Select(p => p.Count));
        Assert.Equal(2500, pages.SelectMany(p => p).Select(r => r.Id).Distinct().Count());
        var reads = host.Requests("GET", "company/configurations");
        Assert.Equal(3, reads.Count);
        Assert.Contains(reads, r => r.Path.Contains("pageId=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_ReturnsOnlyChangedRowsInLastUpdatedThenIdOrder_WhenModifiedAfterIsGiven()
    {
        await using var host = await ConnectWiseSandboxHost.StartAsync(s => s.Configurations = 2500, c => c.PageSize = 100);
        var client = host.Client();
        var all = await ReadAll(client, PsaEntity.Configurations, null);
        var cutoff = all.OrderBy(r => r.LastModified).ElementAt(1200).LastModified;

        var changed = await ReadAll(client, PsaEntity.Configurations, cutoff);

        var expected = all.Where(r => r.LastModified > cutoff).OrderBy(r => r.LastModified).ThenBy(r => int.Parse(r.Id, System.Globalization.CultureInfo.InvariantCulture)).Select(r => r.Id).ToList();
        Assert.True(expected.Count > 1000);
        Assert.Equal(expected, changed.Select(r => r.Id));
    }

    [Fact]
    public async Task CreateTicketAsync_StoresDescriptionAsTheOnlyDiscussionNote_WhenCreatingWithDescription()
    {
        var client = _host.Client();
        var (board, status, priority) = _host.State.Defaults();
        var company = _host.State.AddCompany("Create Test Co");

        var ticket = await client.CreateTicketAsync(new PsaTicketCreate("Printer on fire", "The printer in room 4 is on fire.", Id(board), Id(status), Id(priority), Id(company), "zd-1001"), Ct);
        var conversation = await client.ReadConversationAsync(ticket.Id, Ct);

        Assert.Equal("Printer on fire", ticket.Summary);
        Assert.Equal(Id(board), ticket.BoardId);
        Assert.Equal(Id(company), ticket.CompanyId);
        Assert.Equal("zd-1001", ticket.ExternalReference);
        Assert.False(ticket.Raw.TryGetProperty("initialDescription", out _));
        Assert.Equal("The printer in room 4 is on fire.", ticket.Description);
        Assert.Equal("The printer in room 4 is on fire.", conversation.Description?.Text);
        Assert.Empty(conversation.Notes);
        var note = Assert.Single(_host.State.NotesOf(int.Parse(ticket.Id, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(note.Discussion);
        Assert.False(note.Internal);
        Assert.Equal(_host.State.Options.ApiMemberIdentifier, note.CreatedBy);
    }

    [Fact]
    public async Task FindTicketByExternalReferenceAsync_FindsTheTicket_WhenReferenceHasQuotesAndBackslashes()
    {
        var client = _host.Client();
        var created = await NewTicket(client, "portal \"7\" \\ and * more");
        await NewTicket(client, "portal \"7\" \\ and");

        var found = await client.FindTicketByExternalReferenceAsync("portal \"7\" \\ and * more", Ct);
        var missing = await client.FindTicketByExternalReferenceAsync("portal \"8\"", Ct);

        Assert.Equal(created.Id, found?.Id);
        Assert.Null(missing);
    }

    [Fact]
    public async Task GetTicketAsync_ReturnsNull_WhenTicketDoesNotExist()
    {
        var client = _host.Client();

        var ticket = await client.GetTicketAsync("999999", Ct);

        Assert.Null(ticket);
    }

    [Fact]
    public async Task UpdateTicketAsync_ChangesSummaryStatusAndPriority_WhenGivenOnlyThose()
    {
        var client = _host.Client();
        var ticket = await NewTicket(client, "zd-2001");
        var (sameBoard, _) = _host.State.OtherStatuses(int.Parse(ticket.BoardId!, System.Globalization.CultureInfo.InvariantCulture));

        var updated = await client.UpdateTicketAsync(ticket.Id, new PsaTicketUpdate(Summary: "Renamed", StatusId: Id(sameBoard), PriorityId: "1"), Ct);
        var reread = await client.GetTicketAsync(ticket.Id, Ct);

        Assert.Equal("Renamed", updated.Summary);
        Assert.Equal(Id(sameBoard), reread?.StatusId);
        Assert.Equal("1", reread?.PriorityId);
        Assert.Equal(ticket.CompanyId, reread?.CompanyId);
        Assert.True(reread!.LastModified >= ticket.LastModified);
    }

    [Fact]
    public async Task CreateNoteAsync_AddsInternalNoteByMember_WhenMemberIsGiven()
    {
        var client = _host.Client();
        var ticket = await NewTicket(client, "zd-3001");
        var member = (await ReadAll(client, PsaEntity.Members, null)).Cast<PsaMember>().First(m => !m.Inactive && m.Identifier != _host.State.Options.ApiMemberIdentifier);

        var note = await client.CreateNoteAsync(ticket.Id, new PsaNoteCreate("Called the customer.", PsaNoteVisibility.Internal, member.Id), Ct);
        var conversation = await client.ReadConversationAsync(ticket.Id, Ct);

        Assert.Equal(PsaNoteVisibility.Internal, note.Visibility);
        Assert.Equal(member.Id, note.MemberId);
        Assert.Equal(member.Identifier, note.CreatedBy);
        Assert.Equal("Description", conversation.Description?.Text);
        Assert.Equal(note.Id, Assert.Single(conversation.Notes).Id);
    }

    [Fact]
    public async Task ReadConversationAsync_KeepsLaterDiscussionNotesAsExternalNotes_WhenTheFirstIsTheDescription()
    {
        var client = _host.Client();
        var ticket = await NewTicket(client, "zd-3101");
        var id = int.Parse(ticket.Id, System.Globalization.CultureInfo.InvariantCulture);
        var later = _host.State.AddTicketNote(id, "Told the customer we are on it.", isInternal: false);
        var internalNote = _host.State.AddTicketNote(id, "Checked the logs.");

        var conversation = await client.ReadConversationAsync(ticket.Id, Ct);

        Assert.Equal("Description", conversation.Description?.Text);
        Assert.Equal(
            [(Id(later.Id), PsaNoteVisibility.External), (Id(internalNote.Id), PsaNoteVisibility.Internal)],
            conversation.Notes.Select(n => (n.Id, n.Visibility)));
    }

    [Fact]
    public async Task UpdateTicketAsync_AddsTheDescriptionAsTheDiscussionNote_WhenTheTicketHasNone()
    {
        var client = _host.Client();
        var (board, status, priority) = _host.State.Defaults();
        var ticket = await client.CreateTicketAsync(new PsaTicketCreate("No description", "", Id(board), Id(status), Id(priority), "1", "zd-3201"), Ct);
        var id = int.Parse(ticket.Id, System.Globalization.CultureInfo.InvariantCulture);
        var before = await client.ReadConversationAsync(ticket.Id, Ct);

        var updated = await client.UpdateTicketAsync(ticket.Id, new PsaTicketUpdate(Description: "Added later."), Ct);
        await client.UpdateTicketAsync(ticket.Id, new PsaTicketUpdate(Description: "Changed again."), Ct);

        Assert.Null(before.Description);
        Assert.Equal("Added later.", updated.Description);
        var note = Assert.Single(_host.State.NotesOf(id));
        Assert.True(note.Discussion);
        Assert.Equal("Changed again.", note.Text);
        Assert.Equal("Changed again.", (await client.ReadConversationAsync(ticket.Id, Ct)).Description?.Text);
    }

    [Fact]
    public async Task UpdateTicketAsync_RewritesTheDescriptionNoteWithoutReadingTheNotesAgain_WhenTheConversationWasRead()
    {
        var client = _host.Client();
        var ticket = await NewTicket(client, "zd-3301");
        await client.ReadConversationAsync(ticket.Id, Ct);
        var before = client.ApiCalls;

        await client.UpdateTicketAsync(ticket.Id, new PsaTicketUpdate(Description: "Rewritten."), Ct);

        // One change of the note and one read of the ticket it answers with; the note was known from the conversation.
        Assert.Equal(2, client.ApiCalls - before);
        var note = Assert.Single(_host.State.NotesOf(int.Parse(ticket.Id, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("Rewritten.", note.Text);
    }

    [Fact]
    public async Task AttachConfigurationAsync_IsIdempotent_WhenAttachingTwice()
    {
        var client = _host.Client();
        var ticket = await NewTicket(client, "zd-4001");

        await client.AttachConfigurationAsync(ticket.Id, "7", Ct);
        await client.AttachConfigurationAsync(ticket.Id, "7", Ct);

        Assert.Equal([7], _host.State.TicketConfigurationIds(int.Parse(ticket.Id, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task ApiCalls_CountsEveryRequest_WhenCallsAreMade()
    {
        var client = _host.Client(connection: "counting");
        _host.Faults.ResetRequests();

        await client.GetTicketAsync("1", Ct);
        await client.GetTicketAsync("2", Ct);

        Assert.Equal(_host.Faults.RequestsReceived, client.ApiCalls);
        Assert.Equal(3, client.ApiCalls); // company info once, then two reads
    }

    private static string Id(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<PsaTicket> NewTicket(IPsaClient client, string externalReference)
    {
        var (board, status, priority) = _host.State.Defaults();
        return await client.CreateTicketAsync(new PsaTicketCreate("Test ticket", "Description", Id(board), Id(status), Id(priority), "1", externalReference), Ct);
    }

    internal static async Task<List<IPsaRecord>> ReadAll(IPsaClient client, PsaEntity entity, DateTimeOffset? modifiedAfter)
    {
        var records = new List<IPsaRecord>();
        await foreach (var page in client.ReadAsync(entity, modifiedAfter, TestContext.Current.CancellationToken))
        {
            records.AddRange(page);
        }

        return records;
    }
}
