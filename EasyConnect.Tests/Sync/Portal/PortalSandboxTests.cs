using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EasyConnect.Sync.Sandbox.ConnectWise;
using EasyConnect.Sync.Sandbox.Portal;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Portal;

public sealed class PortalSandboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Seed_MatchesConnectWiseSandboxClusterIdsAndMemberEmails_WhenBothUseDefaults()
    {
        // Arrange
        var epoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var psa = new ConnectWiseSandboxState(new ConnectWiseSandboxOptions { SeedEpoch = epoch }, TimeProvider.System);
        var portal = new PortalSandboxState(new PortalSandboxOptions { SeedEpoch = epoch }, TimeProvider.System);
        var psaClusters = psa.Configurations.Rows.Select(r => r.Node()["questions"]![0]!["answer"]!.GetValue<string>()).ToHashSet();
        var psaEmails = psa.Members.Rows.Select(r => r.Node()["primaryEmail"]!.GetValue<string>()).ToHashSet();

        // Act
        var tickets = portal.Tickets;
        var agents = portal.Users.Where(u => u.Role == "agent").ToList();

        // Assert
        Assert.Contains(tickets, t => t.ClusterId is null);
        Assert.Contains(tickets, t => t.ClusterId is not null && !psaClusters.Contains(t.ClusterId));
        Assert.True(tickets.Count(t => t.ClusterId is not null && psaClusters.Contains(t.ClusterId)) >= tickets.Count * 3 / 4);
        Assert.Equal(agents.Count - 1, agents.Count(a => psaEmails.Contains(a.Email)));
        Assert.Equal([null, "high", "low", "normal", "urgent"], tickets.Select(t => t.Priority).Distinct().Order().ToArray());
        Assert.Equal(PortalSandboxState.Statuses.Order().ToArray(), tickets.Select(t => t.Status).Distinct().Order().ToArray());
        Assert.True(tickets.Select(t => portal.Comments(t.Id).Select(c => c.AuthorId).Distinct().Count()).Max() >= 2);
    }

    [Fact]
    public void Seed_GivesTheSameData_WhenSeedAndSizeAreTheSame()
    {
        // Arrange
        var options = new PortalSandboxOptions { SeedEpoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Tickets = 100 };

        // Act
        var a = new PortalSandboxState(options, TimeProvider.System);
        var b = new PortalSandboxState(options, TimeProvider.System);

        // Assert
        Assert.Equal(100, a.Tickets.Count);
        Assert.Equal(a.Tickets, b.Tickets);
        Assert.Equal(a.Tickets.SelectMany(t => a.Comments(t.Id)), b.Tickets.SelectMany(t => b.Comments(t.Id)));
    }

    [Fact]
    public void Seed_AddsRecentTicketsWithMatchingClusterIdsAndAReply_WhenRecentTicketsIsSet()
    {
        // Arrange
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var psa = new ConnectWiseSandboxState(new ConnectWiseSandboxOptions(), new FakeTimeProvider(now));
        var psaClusters = psa.Configurations.Rows.Select(r => r.Node()["questions"]![0]!["answer"]!.GetValue<string>()).ToHashSet();

        // Act
        var portal = new PortalSandboxState(new PortalSandboxOptions { RecentTickets = 4 }, new FakeTimeProvider(now));

        // Assert
        var recent = portal.Tickets.Where(t => t.UpdatedAt > now.AddDays(-1)).ToList();
        Assert.Equal(4, recent.Count);
        Assert.All(recent, t => Assert.Contains(t.ClusterId!, psaClusters));
        Assert.All(recent, t => Assert.Equal(2, portal.Comments(t.Id).Count));
        Assert.All(recent, t => Assert.True(t.CreatedAt < now && t.UpdatedAt <= now));
        Assert.Equal(40, portal.Tickets.Count - recent.Count);
        Assert.Subset(psaClusters, portal.MatchingClusterIds().ToHashSet());
        var added = portal.AddTicket("Later", "Later.");
        Assert.True(added.UpdatedAt >= recent.Max(t => t.UpdatedAt));
    }

    [Fact]
    public void Seed_AddsNoRecentTickets_ByDefault()
    {
        // Arrange
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

        // Act
        var portal = new PortalSandboxState(new PortalSandboxOptions(), new FakeTimeProvider(now));

        // Assert
        Assert.DoesNotContain(portal.Tickets, t => t.UpdatedAt > now.AddDays(-1));
    }

    [Fact]
    public async Task Api_AnswersZendesksAuthenticationError_WhenTokenIsWrong()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1);
        using var http = Http(host, host.State.Options.AgentEmail, "wrong");

        // Act
        var response = await http.GetAsync("api/v2/tickets/1.json", Ct);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"error":"Couldn't authenticate you"}""", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Export_Answers429WithRetryAfter_WhenMoreThanTheLimitArriveInAMinute()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s =>
        {
            s.Tickets = 1;
            s.ExportRequestsPerMinute = 2;
        });
        using var http = Http(host, host.State.Options.AgentEmail, host.State.Options.ApiToken);
        const string url = "api/v2/incremental/tickets/cursor.json?start_time=0";

        // Act
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last = await http.GetAsync(url, Ct);
            statuses.Add(last.StatusCode);
        }

        // Assert
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses.ToArray());
        Assert.InRange(last!.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        using var body = JsonDocument.Parse(await last.Content.ReadAsStringAsync(Ct));
        Assert.Equal("APIRateLimitExceeded", body.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Update_AnswersRecordInvalidWithDetails_WhenStatusIsUnknown()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1);
        using var http = Http(host, host.State.Options.AgentEmail, host.State.Options.ApiToken);

        // Act
        var response = await http.PutAsJsonAsync("api/v2/tickets/1.json", new { ticket = new { status = "wontfix" } }, Ct);

        // Assert
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("RecordInvalid", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("InvalidValue", body.RootElement.GetProperty("details").GetProperty("status")[0].GetProperty("error").GetString());
    }

    [Fact]
    public async Task AdminEndpoints_AddATicketAndACommentSeenByTheApi_WhenPostedAsJsonOrForm()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1);
        using var admin = new HttpClient { BaseAddress = new Uri(host.BaseUrl + "/") };

        // Act
        var created = await admin.PostAsJsonAsync("_sandbox/tickets", new { subject = "Router down", description = "No internet.", cluster_id = "CL-000042", priority = "urgent" }, Ct);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{created.StatusCode} {await created.Content.ReadAsStringAsync(Ct)}");
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        var form = await admin.PostAsync($"_sandbox/tickets/{id}/comments",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["body"] = "Power cycled.", ["author_email"] = "tech@msp.example", ["public"] = "false" }), Ct);

        // Assert
        Assert.True(form.IsSuccessStatusCode, form.StatusCode.ToString());
        var ticket = host.State.FindTicket(id)!;
        Assert.Equal(("CL-000042", "urgent", "new"), (ticket.ClusterId, ticket.Priority, ticket.Status));
        var comment = host.State.Comments(id)[^1];
        Assert.Equal(("Power cycled.", false), (comment.Body, comment.Public));
        Assert.Equal("tech@msp.example", host.State.FindUser(comment.AuthorId)!.Email);
    }

    private static HttpClient Http(PortalSandboxHost host, string email, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{email}/token:{token}")));
        return http;
    }
}
