using EasyConnect.Sync.Http;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Sandbox;

namespace EasyConnect.Tests.Sync.Portal;

public sealed class ZendeskClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset LongAgo = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadChangedTicketsAsync_ReturnsEveryTicketThenOnlyNewChanges_WhenResumedFromStoredCursor()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 25, c => c.ExportPageSize = 10);
        var client = host.Client();

        // Act
        var pages = await ToListAsync(client.ReadChangedTicketsAsync(null, LongAgo, Ct));
        var stored = pages[^1].Cursor;
        var added = host.State.AddTicket("Printer offline", "The printer on floor 2 is offline.", "CL-000003", "high");
        host.State.AddComment(3, "Any news?");
        var resumed = await ToListAsync(client.ReadChangedTicketsAsync(stored, LongAgo, Ct));

        // Assert
        Assert.Equal(3, pages.Count);
        Assert.True(pages[^1].EndOfStream);
        Assert.All(pages[..^1], p => Assert.False(p.EndOfStream));
        var tickets = pages.SelectMany(p => p.Tickets).ToList();
        Assert.Equal(25, tickets.Select(t => t.Id).Distinct().Count());
        var seeded = host.State.FindTicket(1)!;
        var first = tickets.Single(t => t.Id == "1");
        Assert.Equal(seeded.ClusterId, first.ClusterId);
        Assert.Equal(seeded.Subject, first.Subject);
        Assert.All(tickets, t => Assert.True(pages.Any(p => p.Users.ContainsKey(t.RequesterId!)), $"requester of {t.Id} side-loaded"));
        Assert.Equal([added.Id.ToString(), "3"], resumed.SelectMany(p => p.Tickets).Select(t => t.Id).Order().ToArray());
        var read = resumed.SelectMany(p => p.Tickets).Single(t => t.Id == added.Id.ToString());
        Assert.Equal(("CL-000003", PortalPriority.High, PortalStatus.New), (read.ClusterId, read.Priority, read.Status));
    }

    [Fact]
    public async Task ListCommentsAsync_ReadsEveryPageWithAuthorEmails_WhenCommentsSpanSeveralPages()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 3, c => c.CommentPageSize = 2);
        var ticket = host.State.AddTicket("Slow VPN", "VPN is slow.", requesterEmail: "dana@customer.example");
        var agent = host.State.Users.First(u => u.Role == "agent");
        host.State.AddComment(ticket.Id, "Since when?", agent.Email, isPublic: false);
        host.State.AddComment(ticket.Id, "Since Monday.");
        host.State.AddComment(ticket.Id, "Restarted the concentrator.", agent.Email);
        host.State.AddComment(ticket.Id, "Better now.");
        host.Faults.ResetRequests();

        // Act
        var comments = await host.Client().ListCommentsAsync(ticket.Id.ToString(), Ct);

        // Assert
        Assert.Equal(["VPN is slow.", "Since when?", "Since Monday.", "Restarted the concentrator.", "Better now."], comments.Select(c => c.Body).ToArray());
        Assert.Equal(["dana@customer.example", agent.Email, "dana@customer.example", agent.Email, "dana@customer.example"], comments.Select(c => c.AuthorEmail).ToArray());
        Assert.False(comments[1].Public);
        var pages = host.Requests.Where(r => r.Path.Contains("/comments.json", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, pages.Count);
        Assert.All(pages.Skip(1), r => Assert.Contains("page%5Bafter%5D=", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddPrivateCommentAsync_AddsOnePrivateCommentByTheAuthor_AndReturnsItsId()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 3);
        var agent = host.State.Users.First(u => u.Role == "agent");

        // Act
        var comment = await host.Client().AddPrivateCommentAsync("2", "Note from the PSA.", agent.Id.ToString(), Ct);

        // Assert
        var stored = host.State.Comments(2)[^1];
        Assert.Equal(stored.Id.ToString(), comment.Id);
        Assert.Equal(("Note from the PSA.", false, agent.Id), (stored.Body, stored.Public, stored.AuthorId));
        Assert.Single(host.State.Comments(2), c => c.Body == "Note from the PSA.");
    }

    [Fact]
    public async Task SetExternalIdAsync_StoresTheId_WhenSetAndClears_WhenNull()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 3);
        var client = host.Client();

        // Act
        var set = await client.SetExternalIdAsync("1", "4711", Ct);
        var comment = await client.AddPrivateCommentAsync("1", "Linked.", null, Ct);
        var afterComment = host.State.FindTicket(1)!.ExternalId;
        var cleared = await client.SetExternalIdAsync("1", null, Ct);

        // Assert
        Assert.Equal("4711", set.ExternalId);
        Assert.NotEmpty(comment.Id);
        Assert.Equal("4711", afterComment);
        Assert.Null(cleared.ExternalId);
    }

    [Fact]
    public async Task FindUserByEmailAsync_FindsOnlyTheExactEmail_WhenOtherEmailsContainIt()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1);
        host.State.AddUser("Ann", "ann@customer.example");
        host.State.AddUser("Joann", "joann@customer.example");
        var client = host.Client();

        // Act
        var ann = await client.FindUserByEmailAsync("ANN@customer.example", Ct);
        var nobody = await client.FindUserByEmailAsync("nobody@customer.example", Ct);

        // Assert
        Assert.Equal(("Ann", "ann@customer.example"), (ann!.Name, ann.Email));
        Assert.Null(nobody);
    }

    [Fact]
    public async Task TestConnectionAsync_PassesEveryCheck_WhenSettingsAreRight()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 3);

        // Act
        var checks = await host.Client().TestConnectionAsync(Ct);

        // Assert
        Assert.Equal(["Sign in", "Incremental ticket export", "ClusterID field", "Ticket comments", "User search"], checks.Select(c => c.Name).ToArray());
        Assert.All(checks, c => Assert.True(c.Passed, c.Message));
    }

    [Fact]
    public async Task TestConnectionAsync_FailsTheExportAndFieldChecks_WhenAgentIsNoAdminAndFieldIsWrong()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 3);
        var agent = host.State.Users.First(u => u.Role == "agent");
        var settings = host.Settings(email: agent.Email) with { ClusterIdFieldId = 1 };

        // Act
        var checks = (await host.Client(settings).TestConnectionAsync(Ct)).ToDictionary(c => c.Name);

        // Assert
        Assert.True(checks["Sign in"].Passed);
        Assert.False(checks["Incremental ticket export"].Passed);
        Assert.Contains("admin", checks["Incremental ticket export"].Message, StringComparison.Ordinal);
        Assert.False(checks["ClusterID field"].Passed);
    }

    [Fact]
    public async Task AnyCall_ThrowsAuthenticationFailedWithoutTheToken_WhenTokenIsWrong()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1);
        var client = host.Client(host.Settings(apiToken: "wrong-secret-token-123"));

        // Act
        var e = await Assert.ThrowsAsync<PortalException>(() => client.GetTicketAsync("1", Ct));

        // Assert
        Assert.Equal((RemoteErrorKind.AuthenticationFailed, 401), (e.Kind, e.StatusCode));
        Assert.DoesNotContain("wrong-secret-token-123", e.ToString(), StringComparison.Ordinal);
        Assert.Single(host.Requests);
    }

    [Fact]
    public async Task ReadChangedTicketsAsync_ThrowsPermissionMissing_WhenSignedInAsAgentWithoutAdmin()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1);
        var agent = host.State.Users.First(u => u.Role == "agent");

        // Act
        var e = await Assert.ThrowsAsync<PortalException>(() => ToListAsync(host.Client(host.Settings(email: agent.Email)).ReadChangedTicketsAsync(null, LongAgo, Ct)));

        // Assert
        Assert.Equal(RemoteErrorKind.PermissionMissing, e.Kind);
        Assert.Single(host.Requests);
    }

    [Fact]
    public async Task AddPrivateCommentAsync_ThrowsValidationFailedOnce_WhenTicketIsClosed()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1);
        var ticket = host.State.AddTicket("Done", "Done.", status: "closed");
        var client = await ReadTicketFirstAsync(host, ticket.Id);

        // Act
        var e = await Assert.ThrowsAsync<PortalException>(() => client.AddPrivateCommentAsync(ticket.Id.ToString(), "Late note.", null, Ct));

        // Assert
        Assert.Equal((RemoteErrorKind.ValidationFailed, "status", 422), (e.Kind, e.Field, e.StatusCode));
        Assert.Contains("closed prevents ticket update", e.Message, StringComparison.Ordinal);
        Assert.Single(host.Requests);
    }

    [Fact]
    public async Task GetTicketAsync_ReturnsNull_WhenTicketDoesNotExist_AndCommentThrowsNotFound()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1);
        var client = host.Client();

        // Act
        var missing = await client.GetTicketAsync("999999", Ct);
        var e = await Assert.ThrowsAsync<PortalException>(() => client.AddPrivateCommentAsync("999999", "Note.", null, Ct));

        // Assert
        Assert.Null(missing);
        Assert.Equal(RemoteErrorKind.NotFound, e.Kind);
        Assert.Equal(2, host.Requests.Count);
    }

    [Fact]
    public async Task GetTicketAsync_ThrowsThrottledAfterRetries_WhenEveryAnswerIs429()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1, c => c.MaxRetries = 1);
        host.Faults.Faults = new SandboxFaults { ThrottleRate = 1, RetryAfterSeconds = 0 };

        // Act
        var e = await Assert.ThrowsAsync<PortalException>(() => host.Client().GetTicketAsync("1", Ct));

        // Assert
        Assert.Equal(RemoteErrorKind.Throttled, e.Kind);
        Assert.Equal(2, host.Requests.Count);
    }

    [Fact]
    public async Task GetTicketAsync_ThrowsUnavailableAfterRetries_WhenEveryAnswerIs500()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1, c => c.MaxRetries = 2);
        host.Faults.Faults = new SandboxFaults { ServerErrorRate = 1 };

        // Act
        var e = await Assert.ThrowsAsync<PortalException>(() => host.Client().GetTicketAsync("1", Ct));

        // Assert
        Assert.Equal((RemoteErrorKind.Unavailable, 500), (e.Kind, e.StatusCode));
        Assert.Equal(3, host.Requests.Count);
    }

    [Fact]
    public async Task GetTicketAsync_WaitsRetryAfterThenSucceeds_WhenFirstAnswerIs429()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1);
        host.Faults.Faults = new SandboxFaults { RetryAfterSeconds = 1 };
        host.Faults.FailNext(SandboxFaultKind.Throttle);

        // Act
        var ticket = await host.Client().GetTicketAsync("1", Ct);

        // Assert
        Assert.NotNull(ticket);
        var requests = host.Requests;
        Assert.Equal([SandboxFaultKind.Throttle, SandboxFaultKind.None], requests.Select(r => r.Fault).ToArray());
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(950), $"retried after {(requests[1].At - requests[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task GetTicketAsync_RetriesAndSucceeds_WhenFirstAttemptTimesOut()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 1, c => c.AttemptTimeout = TimeSpan.FromMilliseconds(300));
        host.Faults.FailNext(SandboxFaultKind.Timeout);

        // Act
        var ticket = await host.Client().GetTicketAsync("1", Ct);

        // Assert
        Assert.NotNull(ticket);
        Assert.Equal(2, host.Requests.Count);
    }

    [Fact]
    public async Task AddPrivateCommentAsync_ThrowsTimeoutWithoutRetrying_WhenResponseIsLostAfterApplying()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 2, c => c.AttemptTimeout = TimeSpan.FromMilliseconds(400));
        var client = await ReadTicketFirstAsync(host, 2);
        host.Faults.FailNext(SandboxFaultKind.LostResponse);

        // Act
        var e = await Assert.ThrowsAsync<PortalException>(() => client.AddPrivateCommentAsync("2", "Exactly once.", null, Ct));

        // Assert
        Assert.Equal(RemoteErrorKind.Timeout, e.Kind);
        Assert.Contains("may still have been applied", e.Message, StringComparison.Ordinal);
        Assert.Single(host.Requests);
        Assert.Single(host.State.Comments(2), c => c.Body == "Exactly once.");
    }

    [Fact]
    public async Task AddPrivateCommentAsync_IsNotRepeated_WhenServerAnswers500()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 2);
        var client = await ReadTicketFirstAsync(host, 2);
        host.Faults.FailNext(SandboxFaultKind.ServerError);

        // Act
        var e = await Assert.ThrowsAsync<PortalException>(() => client.AddPrivateCommentAsync("2", "Once.", null, Ct));

        // Assert
        Assert.Equal(RemoteErrorKind.Unavailable, e.Kind);
        Assert.Single(host.Requests);
    }

    [Fact]
    public async Task ReadChangedTicketsAsync_SpacesExportRequests_WhenTheAccountsRateLimitIsReached()
    {
        // Arrange
        await using var host = await PortalSandboxHost.StartAsync(s => s.Tickets = 12, c =>
        {
            c.ExportPageSize = 4;
            c.ExportRequestsPerWindow = 2;
            c.ExportRateWindow = TimeSpan.FromSeconds(1);
        });

        var started = DateTimeOffset.UtcNow;

        // Act
        var pages = await ToListAsync(host.Client().ReadChangedTicketsAsync(null, LongAgo, Ct));

        // Assert: the third request waits for the window that the first two opened. Measured from the start of the read,
        // not from the first request's arrival, which a slow first connection can delay past the moment its permit was taken.
        Assert.Equal(12, pages.Sum(p => p.Tickets.Count));
        var requests = host.Requests;
        Assert.True(requests.Count >= 3);
        Assert.True(requests[2].At - started >= TimeSpan.FromMilliseconds(950), $"third request {(requests[2].At - started).TotalMilliseconds} ms after the read started");
    }

    /// <summary>A client that has read the ticket, as a sync run has from the export before it writes; the requests so far are forgotten.</summary>
    private static async Task<IPortalClient> ReadTicketFirstAsync(PortalSandboxHost host, long ticketId)
    {
        var client = host.Client();
        await client.GetTicketAsync(ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct);
        host.Faults.ResetRequests();
        return client;
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
