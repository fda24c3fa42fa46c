using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Sandbox;

namespace EasyConnect.Tests.Sync.Psa.ConnectWise;

/// <summary>
/// How the ConnectWise client reports and retries failures, over real HTTP to the sandbox: one typed error per kind, retries
/// of 5xx, 429 (waiting as long as <c>Retry-After</c> says) and timeouts, never of 400/401/403/404, and a create whose
/// answer was lost surfacing as a timeout without being sent twice.
/// </summary>
public sealed class ConnectWiseErrorTests : IAsyncLifetime
{
    private const string MissingTicket = "999999";
    private ConnectWiseSandboxHost _host = default!;
    private IPsaClient _client = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = await ConnectWiseSandboxHost.StartAsync(client: o =>
        {
            o.AttemptTimeout = TimeSpan.FromMilliseconds(700);
            o.MaxRetries = 3;
        });
        _client = _host.Client();
        // The first call also discovers the codebase; warm it up so the requests counted below are the operation's own.
        await _client.GetTicketAsync("1", Ct);
        _host.Faults.ResetRequests();
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task WrongPrivateKey_IsAuthenticationFailed_AndNotRetried()
    {
        var client = _host.Client(_host.Credentials(privateKey: "not-the-key-5678"), connection: "wrong-key");
        await Assert.ThrowsAnyAsync<PsaException>(() => client.GetTicketAsync("1", Ct)); // discovery + the refused read
        _host.Faults.ResetRequests();

        var e = await Assert.ThrowsAsync<PsaException>(() => client.GetTicketAsync("1", Ct));

        Assert.Equal(RemoteErrorKind.AuthenticationFailed, e.Kind);
        Assert.Equal(401, e.StatusCode);
        Assert.DoesNotContain("not-the-key-5678", e.Message, StringComparison.Ordinal);
        Assert.Single(_host.Faults.Requests);
    }

    [Fact]
    public async Task MissingSecurityRolePermission_IsPermissionMissing_NamingIt_AndNotRetried()
    {
        _host.State.DenyPermission("service/tickets");

        var e = await Assert.ThrowsAsync<PsaException>(() => _client.GetTicketAsync("1", Ct));

        Assert.Equal(RemoteErrorKind.PermissionMissing, e.Kind);
        Assert.Contains("Service Desk > Service Tickets", e.Message, StringComparison.Ordinal);
        Assert.Single(_host.Faults.Requests);
    }

    [Fact]
    public async Task RefusedCreate_IsValidationFailed_WithTheField_AndNotRetried()
    {
        var (board, status, priority) = _host.State.Defaults();

        var e = await Assert.ThrowsAsync<PsaException>(() => _client.CreateTicketAsync(
            new PsaTicketCreate("", "No summary", Id(board), Id(status), Id(priority), "1", "zd-err-1"), Ct));

        Assert.Equal(RemoteErrorKind.ValidationFailed, e.Kind);
        Assert.Equal("summary", e.Field);
        Assert.Single(_host.Requests("POST", "/service/tickets"));
    }

    [Fact]
    public async Task UpdateOfMissingTicket_IsNotFound_AndNotRetried()
    {
        var e = await Assert.ThrowsAsync<PsaException>(() => _client.UpdateTicketAsync(MissingTicket, new PsaTicketUpdate(Summary: "Renamed"), Ct));

        Assert.Equal(RemoteErrorKind.NotFound, e.Kind);
        Assert.Contains(MissingTicket, e.Message, StringComparison.Ordinal);
        Assert.All(_host.Faults.Requests.GroupBy(r => (r.Method, r.Path)), g => Assert.Single(g));
    }

    [Fact]
    public async Task ServerErrors_AreRetried_UntilTheReadSucceeds()
    {
        _host.Faults.FailNext(SandboxFaultKind.ServerError, 2);

        var ticket = await _client.GetTicketAsync("1", Ct);

        Assert.Equal("1", ticket?.Id);
        Assert.Equal(3, _host.Faults.Requests.Count);
        Assert.Equal(3, _host.Faults.RequestsReceived);
    }

    [Fact]
    public async Task ServerErrorsBeyondTheRetries_AreUnavailable()
    {
        _host.Faults.FailNext(SandboxFaultKind.ServerError, 10);

        var e = await Assert.ThrowsAsync<PsaException>(() => _client.GetTicketAsync("1", Ct));

        Assert.Equal(RemoteErrorKind.Unavailable, e.Kind);
        Assert.True(e.IsTransient);
        Assert.Equal(4, _host.Faults.Requests.Count); // the attempt and three retries
    }

    [Fact]
    public async Task Throttling_IsRetried_AfterTheRetryAfterTheAnswerNames()
    {
        // RetryBaseDelay is 20 ms here: a gap near a second can only come from Retry-After: 1.
        _host.Faults.FailNext(SandboxFaultKind.Throttle);

        var ticket = await _client.GetTicketAsync("1", Ct);

        Assert.Equal("1", ticket?.Id);
        var requests = _host.Faults.Requests;
        Assert.Equal([SandboxFaultKind.Throttle, SandboxFaultKind.None], requests.Select(r => r.Fault));
        var gap = requests[1].At - requests[0].At;
        Assert.True(gap >= TimeSpan.FromMilliseconds(950), $"retried {gap.TotalMilliseconds} ms after the 429");
    }

    [Fact]
    public async Task ThrottlingBeyondTheRetries_IsThrottled()
    {
        _host.Faults.FailNext(SandboxFaultKind.Throttle, 10);

        var e = await Assert.ThrowsAsync<PsaException>(() => _client.GetTicketAsync("1", Ct));

        Assert.Equal(RemoteErrorKind.Throttled, e.Kind);
        Assert.Equal(4, _host.Faults.Requests.Count);
    }

    [Fact]
    public async Task TimedOutRead_IsRetried_AndSucceeds()
    {
        _host.Faults.FailNext(SandboxFaultKind.Timeout);

        var ticket = await _client.GetTicketAsync("1", Ct);

        Assert.Equal("1", ticket?.Id);
        Assert.Equal([SandboxFaultKind.Timeout, SandboxFaultKind.None], _host.Faults.Requests.Select(r => r.Fault));
    }

    [Fact]
    public async Task ReadTimingOutEveryTime_IsTimeout()
    {
        _host.Faults.FailNext(SandboxFaultKind.Timeout, 10);

        var e = await Assert.ThrowsAsync<PsaException>(() => _client.GetTicketAsync("1", Ct));

        Assert.Equal(RemoteErrorKind.Timeout, e.Kind);
        Assert.Equal(4, _host.Faults.Requests.Count);
    }

    [Fact]
    public async Task CreateWhoseAnswerWasLost_IsTimeout_SentOnce_AndFoundAgainByExternalReference()
    {
        var (board, status, priority) = _host.State.Defaults();
        _host.Faults.FailNext(SandboxFaultKind.LostResponse, 1, (method, _) => method == "POST");

        var e = await Assert.ThrowsAsync<PsaException>(() => _client.CreateTicketAsync(
            new PsaTicketCreate("Lost answer", "Applied, but the answer never came.", Id(board), Id(status), Id(priority), "1", "zd-lost-1"), Ct));

        Assert.Equal(RemoteErrorKind.Timeout, e.Kind);
        Assert.Single(_host.Requests("POST", "/service/tickets"));
        var found = await _client.FindTicketByExternalReferenceAsync("zd-lost-1", Ct);
        Assert.Equal("Lost answer", found?.Summary);
    }

    [Fact]
    public async Task NoteWhoseAnswerWasLost_IsTimeout_AndSentOnce()
    {
        _host.Faults.FailNext(SandboxFaultKind.LostResponse, 1, (method, _) => method == "POST");

        var e = await Assert.ThrowsAsync<PsaException>(() => _client.CreateNoteAsync("1", new PsaNoteCreate("Once only.", PsaNoteVisibility.Internal, null), Ct));

        Assert.Equal(RemoteErrorKind.Timeout, e.Kind);
        Assert.Single(_host.Requests("POST", "/notes"));
        Assert.Single((await _client.ReadConversationAsync("1", Ct)).Notes, n => n.Text == "Once only.");
    }

    private static string Id(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
