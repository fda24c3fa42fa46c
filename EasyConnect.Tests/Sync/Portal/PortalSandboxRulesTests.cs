using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EasyConnect.Sync.Sandbox.Portal;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Portal;

/// <summary>The documented Zendesk rules the portal sandbox enforces, over its HTTP API as any client would meet them.</summary>
public sealed class PortalSandboxRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"ticket":{"external_id":"4711"}}""")]
    [InlineData("""{"ticket":{"comment":{"body":"Looking into it.","public":false}}}""")]
    [InlineData("""{"ticket":{}}""")]
    public async Task Update_MovesANewTicketToOpen_WhenAnAgentUpdatesItWithoutAStatus(string update)
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        var ticket = host.State.AddTicket("VPN down", "No VPN since 8:00.");
        using var http = host.Http();

        // Act
        var response = await http.PutAsync($"api/v2/tickets/{ticket.Id}.json", Body(update), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("open", host.State.FindTicket(ticket.Id)!.Status);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("open", body.RootElement.GetProperty("ticket").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Update_KeepsATicketNew_WhenTheUpdateSendsStatusNewOrTheRequesterComments()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        var ticket = host.State.AddTicket("VPN down", "No VPN since 8:00.");
        using var http = host.Http();

        // Act
        var response = await http.PutAsync($"api/v2/tickets/{ticket.Id}.json", Body("""{"ticket":{"external_id":"4711","status":"new"}}"""), Ct);
        host.State.AddComment(ticket.Id, "Any news?");

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("new", "4711"), (host.State.FindTicket(ticket.Id)!.Status, host.State.FindTicket(ticket.Id)!.ExternalId));
    }

    [Fact]
    public async Task Update_Answers409AndChangesNothing_WhenASafeUpdateCarriesAnOutdatedStamp()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        var ticket = host.State.AddTicket("VPN down", "No VPN since 8:00.");
        var stamp = ticket.UpdatedAt.AddSeconds(-5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        using var http = host.Http();

        // Act
        var response = await http.PutAsync($"api/v2/tickets/{ticket.Id}.json",
            Body($$$"""{"ticket":{"external_id":"4711","status":"new","safe_update":true,"updated_stamp":"{{{stamp}}}"}}"""), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal((null, "new"), (host.State.FindTicket(ticket.Id)!.ExternalId, host.State.FindTicket(ticket.Id)!.Status));
    }

    [Fact]
    public async Task Update_LeavesTheDescriptionAsItWas_WhenTheUpdateTriesToChangeIt()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        var ticket = host.State.AddTicket("VPN down", "No VPN since 8:00.");
        using var http = host.Http();

        // Act
        var response = await http.PutAsync($"api/v2/tickets/{ticket.Id}.json", Body("""{"ticket":{"description":"Rewritten.","status":"new"}}"""), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("No VPN since 8:00.", host.State.FindTicket(ticket.Id)!.Description);
        Assert.Equal("No VPN since 8:00.", Assert.Single(host.State.Comments(ticket.Id)).Body);
    }

    [Fact]
    public async Task CommentsEndpoint_Answers404_WhenACommentIsPostedToIt()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        var ticket = host.State.AddTicket("VPN down", "No VPN since 8:00.");
        using var http = host.Http();

        // Act
        var response = await http.PostAsync($"api/v2/tickets/{ticket.Id}/comments.json", Body("""{"comment":{"body":"Hello.","public":false}}"""), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(host.State.Comments(ticket.Id));
    }

    [Fact]
    public async Task Comments_SendLinksNextWithHasMoreFalse_OnTheLastPage()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        var ticket = host.State.AddTicket("VPN down", "No VPN since 8:00.");
        host.State.AddComment(ticket.Id, "Any news?");
        using var http = host.Http();

        // Act
        using var body = JsonDocument.Parse(await http.GetStringAsync($"api/v2/tickets/{ticket.Id}/comments.json?page[size]=2&include=users", Ct));

        // Assert
        var root = body.RootElement;
        Assert.Equal(2, root.GetProperty("comments").GetArrayLength());
        Assert.False(root.GetProperty("meta").GetProperty("has_more").GetBoolean());
        Assert.Contains("page%5Bafter%5D=", root.GetProperty("links").GetProperty("next").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, root.GetProperty("users").GetArrayLength());
    }

    [Fact]
    public async Task ShowManyUsers_AnswersTheUsersAskedFor_WhenGivenTheirIds()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        var ann = host.State.AddUser("Ann", "ann@customer.example");
        var bob = host.State.AddUser("Bob", "bob@customer.example");
        using var http = host.Http();

        // Act
        using var body = JsonDocument.Parse(await http.GetStringAsync($"api/v2/users/show_many.json?ids={ann.Id},{bob.Id},999999", Ct));

        // Assert
        Assert.Equal(["ann@customer.example", "bob@customer.example"],
            body.RootElement.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("email").GetString()).ToArray());
    }

    [Fact]
    public async Task Export_Answers400_WhenStartTimeIsLessThanAMinuteOld()
    {
        // Arrange
        var time = new FakeTimeProvider(Now);
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1, time: time);
        using var http = host.Http();

        // Act
        var recent = await http.GetAsync($"api/v2/incremental/tickets/cursor.json?start_time={Now.AddSeconds(-30).ToUnixTimeSeconds()}", Ct);
        var old = await http.GetAsync($"api/v2/incremental/tickets/cursor.json?start_time={Now.AddSeconds(-60).ToUnixTimeSeconds()}", Ct);

        // Assert
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.OK), (recent.StatusCode, old.StatusCode));
        Assert.Contains("start_time", await recent.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ReturnsATicketByItsGeneratedTimestamp_WhenAnUpdateChangedNothingAndUpdatedAtStayed()
    {
        // Arrange
        var time = new FakeTimeProvider(Now);
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0, time: time);
        var ticket = host.State.AddTicket("VPN down", "No VPN since 8:00.", status: "open");
        time.Advance(TimeSpan.FromMinutes(10));
        var unchanged = host.State.Update(ticket.Id, new PortalSandboxTicketChange(Status: "open"), host.State.ApiUser.Id).Ticket;
        time.Advance(TimeSpan.FromMinutes(2));
        using var http = host.Http();
        var start = Now.AddMinutes(5).ToUnixTimeSeconds();

        // Act
        using var body = JsonDocument.Parse(await http.GetStringAsync($"api/v2/incremental/tickets/cursor.json?start_time={start}", Ct));

        // Assert
        Assert.Equal(ticket.UpdatedAt, unchanged.UpdatedAt);
        var exported = Assert.Single(body.RootElement.GetProperty("tickets").EnumerateArray());
        Assert.Equal(Now.AddMinutes(10).ToUnixTimeSeconds(), exported.GetProperty("generated_timestamp").GetInt64());
        Assert.True(exported.GetProperty("updated_at").GetDateTimeOffset() < DateTimeOffset.FromUnixTimeSeconds(start));
    }

    [Fact]
    public async Task Export_Answers429WithTheExportBodyAndRetryAfter_WhenAnEleventhRequestComesWithinAMinute()
    {
        // Arrange
        var time = new FakeTimeProvider(Now);
        await using var host = await PortalSandboxHost.StartAsync(s =>
        {
            s.Tickets = 1;
            s.ExportRequestsPerMinute = 10;
        }, time: time);
        using var http = host.Http();
        var url = $"api/v2/incremental/tickets/cursor.json?start_time={Now.AddHours(-1).ToUnixTimeSeconds()}";

        // Act
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await http.GetAsync(url, Ct)).StatusCode);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var refused = await http.GetAsync(url, Ct);
        time.Advance(TimeSpan.FromSeconds(51));
        var later = await http.GetAsync(url, Ct);

        // Assert
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(50), refused.Headers.RetryAfter!.Delta);
        using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal("APIRateLimitExceeded", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("Number of allowed incremental export API requests per minute exceeded", body.RootElement.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Update_Answers422ClosedPreventsUpdate_WhenTheTicketIsClosed()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 0);
        var ticket = host.State.AddTicket("Done", "Done.", status: "closed");
        using var http = host.Http();

        // Act
        var response = await http.PutAsJsonAsync($"api/v2/tickets/{ticket.Id}.json", new { ticket = new { external_id = "4711" } }, Ct);

        // Assert
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("ClosedPreventsUpdate", body.RootElement.GetProperty("details").GetProperty("status")[0].GetProperty("error").GetString());
        Assert.Null(host.State.FindTicket(ticket.Id)!.ExternalId);
    }

    private static StringContent Body(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
