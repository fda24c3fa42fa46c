using EasyConnect.Sync.Http;
using EasyConnect.Sync.Portal;
using EasyConnect.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Portal;

/// <summary>How the Zendesk client handles the documented rules the sandbox enforces (see docs/vendor-rules.md).</summary>
public sealed class ZendeskClientRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LongAgo = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetExternalIdAsync_KeepsTheTicketNew_WhenTheTicketIsNew()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        var ticket = host.State.AddTicket("VPN down", "No VPN since 8:00.");

        // Act
        var updated = await host.Client().SetExternalIdAsync(ticket.Id.ToString(), "4711", Ct);

        // Assert
        Assert.Equal((PortalStatus.New, "4711"), (updated.Status, updated.ExternalId));
        Assert.Equal(("new", "4711"), (host.State.FindTicket(ticket.Id)!.Status, host.State.FindTicket(ticket.Id)!.ExternalId));
    }

    [Fact]
    public async Task AddPrivateCommentAsync_KeepsTheTicketNew_WhenTheTicketIsNew()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        var ticket = host.State.AddTicket("VPN down", "No VPN since 8:00.");

        // Act
        await host.Client().AddPrivateCommentAsync(ticket.Id.ToString(), "Note from the PSA.", null, Ct);

        // Assert
        Assert.Equal("new", host.State.FindTicket(ticket.Id)!.Status);
        Assert.Equal("Note from the PSA.", host.State.Comments(ticket.Id)[^1].Body);
    }

    [Fact]
    public async Task SetExternalIdAsync_LeavesTheTicketOpen_WhenAnAgentOpenedItAfterTheClientReadIt()
    {
        // Arrange
        var time = new FakeTimeProvider(Now);
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0, time: time);
        var ticket = host.State.AddTicket("VPN down", "No VPN since 8:00.");
        var client = host.Client();
        Assert.Equal(PortalStatus.New, (await client.GetTicketAsync(ticket.Id.ToString(), Ct))!.Status);
        time.Advance(TimeSpan.FromSeconds(5));
        host.State.UpdateTicket(ticket.Id, status: "open");
        host.Faults.ResetRequests();

        // Act
        var updated = await client.SetExternalIdAsync(ticket.Id.ToString(), "4711", Ct);

        // Assert
        Assert.Equal((PortalStatus.Open, "4711"), (updated.Status, updated.ExternalId));
        Assert.Equal("open", host.State.FindTicket(ticket.Id)!.Status);
        Assert.Equal(["PUT", "GET", "PUT"], host.Requests.Select(r => r.Method).ToArray());
    }

    [Fact]
    public async Task ListCommentsAsync_NamesEveryAuthorThroughTheUsersApiOnce_WhenTheCommentsSideloadNoUsers()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        var agent = host.State.Users.First(u => u.Role == "agent");
        var first = host.State.AddTicket("Slow VPN", "VPN is slow.", requesterEmail: "dana@customer.example");
        host.State.AddComment(first.Id, "Since when?", agent.Email, isPublic: false);
        var second = host.State.AddTicket("Slow mail", "Mail is slow.", requesterEmail: "dana@customer.example");
        var client = host.Client();
        host.Faults.ResetRequests();

        // Act
        var comments = await client.ListCommentsAsync(first.Id.ToString(), Ct);
        var again = await client.ListCommentsAsync(second.Id.ToString(), Ct);

        // Assert
        Assert.Equal([("dana", "dana@customer.example"), (agent.Name, agent.Email)], comments.Select(c => (c.AuthorName, c.AuthorEmail)).ToArray());
        Assert.Equal("dana@customer.example", Assert.Single(again).AuthorEmail);
        Assert.Single(host.Requests, r => r.Path.Contains("/users/show_many.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListCommentsAsync_StopsAfterTheLastPage_WhenLinksNextIsStillSent()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0, c => c.CommentPageSize = 2);
        var ticket = host.State.AddTicket("Slow VPN", "VPN is slow.");
        host.State.AddComment(ticket.Id, "Since Monday.");
        host.State.AddComment(ticket.Id, "Still slow.");
        host.State.AddComment(ticket.Id, "Better now.");
        host.Faults.ResetRequests();

        // Act
        var comments = await host.Client().ListCommentsAsync(ticket.Id.ToString(), Ct);

        // Assert
        Assert.Equal(4, comments.Count);
        Assert.Equal(2, host.Requests.Count(r => r.Path.Contains("/comments.json", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ReadChangedTicketsAsync_AsksForAStartAMinuteAgo_WhenAskedToStartNow()
    {
        // Arrange
        var time = new FakeTimeProvider(Now);
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0, time: time);
        host.State.AddTicket("VPN down", "No VPN since 8:00.");
        time.Advance(TimeSpan.FromMinutes(5));

        // Act
        var pages = await ToListAsync(host.Client().ReadChangedTicketsAsync(null, time.GetUtcNow(), Ct));

        // Assert
        Assert.True(pages[^1].EndOfStream);
        var request = Assert.Single(host.Requests);
        Assert.Contains($"start_time={time.GetUtcNow().AddSeconds(-61).ToUnixTimeSeconds()}", request.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadChangedTicketsAsync_SendsAtMostTenExportRequestsAMinute_SoZendeskNeverAnswers429()
    {
        // Arrange
        var time = new FakeTimeProvider(Now);
        await using var host = await PortalSandboxHost.StartAsync(s =>
        {
            s.Tickets = 12;
            s.ExportRequestsPerMinute = 10;
        }, c =>
        {
            c.ExportPageSize = 1;
            c.ExportRequestsPerWindow = 10;
            c.ExportRateWindow = TimeSpan.FromMinutes(1);
            // Timeouts run on the same fake clock, which this test moves quickly.
            c.AttemptTimeout = TimeSpan.FromMinutes(10);
            c.TotalTimeout = TimeSpan.FromMinutes(30);
        }, time);

        // Act
        var read = ToListAsync(host.Client().ReadChangedTicketsAsync(null, LongAgo, Ct));
        while (!read.IsCompleted)
        {
            await Task.Delay(10, Ct);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var pages = await read;

        // Assert
        Assert.Equal(12, pages.Sum(p => p.Tickets.Count));
        Assert.Equal(pages.Count, host.Requests.Count);
        Assert.True(time.GetUtcNow() - Now >= TimeSpan.FromMinutes(1), "the eleventh request waited for the minute");
    }

    [Fact]
    public async Task GetTicketAsync_ReadsTheTicketAndComments_WhenNumbersAndBooleansComeAsStringsAndUnknownFieldsAppear()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        await using var zendesk = await SandboxServer.StartAsync(_ => { }, app =>
        {
            app.MapGet("/api/v2/tickets/7.json", () => Results.Text("""
                {"ticket":{"id":"7","subject":"VPN","description":"Down.","status":"new","priority":null,"requester_id":"1001",
                 "is_public":"true","has_incidents":"false","satisfaction_rating":null,"brand":{"id":1,"nested":[1,"x"]},
                 "custom_fields":[{"id":"360012345678","value":"CL-000001"},{"id":1,"value":["a","b"]},{"id":2,"value":true}],
                 "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:01Z","future_field":{"a":1}}}
                """, "application/json"));
            app.MapGet("/api/v2/tickets/7/comments.json", () => Results.Text("""
                {"comments":[{"id":"11","author_id":"1001","body":"Down.","public":"false","created_at":"2026-01-01T00:00:00Z","via":{"channel":"web"}}],
                 "users":[{"id":"1001","name":"Dana","email":"dana@customer.example","active":"true","shared":"false","role":null}],
                 "meta":{"has_more":null,"after_cursor":null},"links":{"next":"http://x"}}
                """, "application/json"));
        });
        var client = host.Client(host.Settings() with { BaseUrl = zendesk.BaseAddress.ToString().TrimEnd('/') });

        // Act
        var ticket = await client.GetTicketAsync("7", Ct);
        var comments = await client.ListCommentsAsync("7", Ct);

        // Assert
        Assert.Equal(("7", "CL-000001", "1001", PortalStatus.New), (ticket!.Id, ticket.ClusterId, ticket.RequesterId, ticket.Status));
        var comment = Assert.Single(comments);
        Assert.Equal(("11", false, "dana@customer.example"), (comment.Id, comment.Public, comment.AuthorEmail));
    }

    [Fact]
    public async Task GetTicketAsync_NamesTheField_WhenANeededFieldCannotBeRead()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        await using var zendesk = await SandboxServer.StartAsync(_ => { }, app =>
            app.MapGet("/api/v2/tickets/7.json", () => Results.Text("""
                {"ticket":{"id":7,"subject":"VPN","status":"new","created_at":"yesterday"}}
                """, "application/json")));
        var client = host.Client(host.Settings() with { BaseUrl = zendesk.BaseAddress.ToString().TrimEnd('/') });

        // Act
        var e = await Assert.ThrowsAsync<PortalException>(() => client.GetTicketAsync("7", Ct));

        // Assert
        Assert.Equal(RemoteErrorKind.Unavailable, e.Kind);
        Assert.Contains("ticket.created_at", e.Message, StringComparison.Ordinal);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}
