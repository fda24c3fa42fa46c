using EasyConnect.Sync.Alerts;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Tickets;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Alerts;

/// <summary>
/// Alerts as an admin receives them: a real SMTP server and a webhook receiver on loopback, the scanner over a real database,
/// time moved by a FakeTimeProvider. The app's job server is off, so only the test scans.
/// </summary>
public sealed class AlertScannerTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly Guid _connection = Guid.NewGuid();
    private EasyConnectApp _app = default!;
    private TestSmtpServer _smtp = default!;
    private TestWebhookReceiver _webhook = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AlertScanner Scanner => _app.Services.GetRequiredService<AlertScanner>();

    private AlertSettingsStore Store => _app.Services.GetRequiredService<AlertSettingsStore>();

    public async ValueTask InitializeAsync()
    {
        _smtp = new TestSmtpServer();
        _webhook = await TestWebhookReceiver.StartAsync();
        _app = await EasyConnectApp.StartAsync(postgres, new Dictionary<string, string?> { ["EasyConnect:Jobs:RunServer"] = "false" },
            services => services.AddSingleton<TimeProvider>(_clock));
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        db.PsaConnections.Add(new PsaConnection
        {
            Id = _connection, Kind = PsaKind.ConnectWise, InstanceKey = "na|acme", DisplayName = "na.myconnectwise.net / acme",
            State = ConnectionState.Active, CreatedBy = "tests", CreatedAt = _clock.GetUtcNow().AddDays(-1),
        });
        await db.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _webhook.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_SendsExactlyOneEmailAndOneWebhookPost_WhenARunFailed()
    {
        await ConfigureAsync();
        await Scanner.RunAsync(Ct);
        await AddRunAsync(RunFailureCause.Other, "Companies: ConnectWise had a server error (500).");

        _clock.Advance(TimeSpan.FromMinutes(1));
        var result = await Scanner.RunAsync(Ct);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Scanner.RunAsync(Ct);

        Assert.Equal(new AlertScanResult(1, 1, 0, false), result);
        var mail = Assert.Single(_smtp.Messages);
        Assert.Equal("EasyConnect: The incremental mirror sync of na.myconnectwise.net / acme failed", mail.Subject);
        Assert.Equal("admin@msp.example", mail.To.Mailboxes.Single().Address);
        Assert.Contains("ConnectWise had a server error (500).", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("See the run: https://easyconnect.msp.example/sync-runs", mail.TextBody, StringComparison.Ordinal);
        var post = Assert.Single(_webhook.Posts);
        Assert.StartsWith("**EasyConnect: The incremental mirror sync of na.myconnectwise.net / acme failed**", post, StringComparison.Ordinal);
        Assert.Contains("https://easyconnect.msp.example/sync-runs", post, StringComparison.Ordinal);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var bell = await db.Notifications.AsNoTracking().OrderBy(n => n.Role).Select(n => n.Role).ToListAsync(Ct);
        Assert.Equal([Roles.Admin, Roles.Support], bell);
    }

    [Fact]
    public async Task RunAsync_HoldsARepeatForTheDailyDigest_WhenTheSameCauseFailsAgainWithinTheHour()
    {
        await ConfigureAsync(digestHour: 11);
        await Scanner.RunAsync(Ct);
        await AddRunAsync(RunFailureCause.Other, "First failure.");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Scanner.RunAsync(Ct);
        await AddRunAsync(RunFailureCause.Other, "Second failure.");
        _clock.Advance(TimeSpan.FromMinutes(1));

        var repeat = await Scanner.RunAsync(Ct);
        Assert.Equal(new AlertScanResult(1, 0, 1, false), repeat);
        Assert.Single(_smtp.Messages);

        _clock.Advance(TimeSpan.FromMinutes(58)); // 11:00, the digest hour
        var digest = await Scanner.RunAsync(Ct);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Scanner.RunAsync(Ct);

        Assert.True(digest!.DigestSent);
        Assert.Equal(2, _smtp.Messages.Count);
        var mail = _smtp.Messages[1];
        Assert.Equal("EasyConnect: daily digest, 1 alert", mail.Subject);
        Assert.Contains("10:01 UTC — The incremental mirror sync of na.myconnectwise.net / acme failed", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, _webhook.Posts.Count);

        // An hour after the last alert, the same cause alerts at once again.
        await AddRunAsync(RunFailureCause.Other, "Third failure.");
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await Scanner.RunAsync(Ct))!.Sent);
        Assert.Equal(3, _smtp.Messages.Count);
    }

    [Fact]
    public async Task RunAsync_SendsOneAlertNamingTheTickets_WhenTicketsWereNewlyHeld()
    {
        await ConfigureAsync();
        await Scanner.RunAsync(Ct);
        _clock.Advance(TimeSpan.FromSeconds(20));
        await using (var db = PostgresServer.CreateContext(_app.ConnectionString))
        {
            foreach (var (id, subject) in new[] { ("501", "Printer offline"), ("502", "Server fan loud") })
            {
                db.TicketLinks.Add(new TicketLink
                {
                    ConnectionId = _connection, PortalConnectionId = Guid.NewGuid(), PortalTicketId = id, PortalSubject = subject, PortalStatus = "open",
                    HeldReason = "The ClusterID \"CL-9\" matches no ConnectWise configuration.", HeldKind = HoldKind.UnknownClusterId,
                    HeldSince = _clock.GetUtcNow(), CreatedAt = _clock.GetUtcNow(),
                });
            }

            await db.SaveChangesAsync(Ct);
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        await Scanner.RunAsync(Ct);

        var mail = Assert.Single(_smtp.Messages);
        Assert.Equal("EasyConnect: 2 tickets are newly held and do not sync", mail.Subject);
        Assert.Contains("#501 Printer offline: The ClusterID \"CL-9\" matches no ConnectWise configuration.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("See why and fix the mapping: https://easyconnect.msp.example/tickets?filter=held", mail.TextBody, StringComparison.Ordinal);
        await using var check = PostgresServer.CreateContext(_app.ConnectionString);
        Assert.Equal([Roles.Admin, Roles.Technician], await check.Notifications.AsNoTracking().OrderBy(n => n.Role).Select(n => n.Role).ToListAsync(Ct));
    }

    [Fact]
    public async Task RunAsync_TellsAdminsToEnterWorkingKeys_WhenARunFailedOnRefusedCredentials()
    {
        await ConfigureAsync();
        await Scanner.RunAsync(Ct);
        await AddRunAsync(RunFailureCause.Credentials, "Sign-in failed: ConnectWise refused the API keys (401).");
        _clock.Advance(TimeSpan.FromMinutes(1));

        await Scanner.RunAsync(Ct);

        var mail = Assert.Single(_smtp.Messages);
        Assert.StartsWith("EasyConnect: Credentials refused:", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Enter working keys on the Integration page: https://easyconnect.msp.example/integration", mail.TextBody, StringComparison.Ordinal);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        Assert.Equal([Roles.Admin], await db.Notifications.AsNoTracking().Select(n => n.Role).ToListAsync(Ct));
    }

    [Fact]
    public async Task RunAsync_ShowsTheFailureUnderTheBellWithoutSending_WhenNoChannelIsOn()
    {
        await Scanner.RunAsync(Ct);
        await AddRunAsync(RunFailureCause.Other, "Tickets: the portal had a server error (503).");
        _clock.Advance(TimeSpan.FromMinutes(1));

        var result = await Scanner.RunAsync(Ct);

        Assert.Equal(new AlertScanResult(1, 0, 0, false), result);
        Assert.Empty(_smtp.Messages);
        Assert.Empty(_webhook.Posts);
        var recent = Assert.Single(await Store.RecentAsync(10, Ct));
        Assert.Equal("no alert channel was on", recent.SendError);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        Assert.Equal(2, await db.Notifications.CountAsync(Ct));
    }

    [Fact]
    public async Task SendTestAsync_ReportsEachChannelInWords_WhenTheWebhookRefuses()
    {
        _webhook.Status = 404;
        var input = Input(webhook: _webhook.Url);

        var deliveries = await Scanner.SendTestAsync(input, "admin@msp.example", Ct);

        Assert.Collection(deliveries,
            e => Assert.Equal(new AlertDelivery("E-mail", true, "Sent to admin@msp.example."), e),
            w => Assert.Equal(new AlertDelivery("Webhook", false, "Not posted: 127.0.0.1 answered 404 Not Found."), w));
        Assert.Contains("admin@msp.example sent this test", Assert.Single(_smtp.Messages).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendTestAsync_SaysTheServerCannotBeReached_WhenNothingListensOnThePort()
    {
        var input = Input() with { SmtpPort = 1, WebhookEnabled = false };

        var delivery = Assert.Single(await Scanner.SendTestAsync(input, "admin@msp.example", Ct));

        Assert.False(delivery.Sent);
        Assert.StartsWith("Not sent: 127.0.0.1:1 could not be reached", delivery.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveAsync_KeepsThePasswordAndWebhookEncryptedAndNeverShowsThemBack_WhenSaved()
    {
        await Store.SaveAsync(Input(webhook: _webhook.Url) with { SmtpUserName = "mailer", SmtpPassword = "Sm7p-Pa55word" }, "admin@msp.example", Ct);

        var view = await Store.GetAsync(Ct);

        Assert.True(view.HasSmtpPassword);
        Assert.Null(view.Settings.SmtpPassword);
        Assert.Null(view.Settings.WebhookUrl);
        Assert.Equal("http://127.0.0.1/…", view.WebhookHint);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var row = await db.AlertSettings.AsNoTracking().SingleAsync(Ct);
        Assert.DoesNotContain("Sm7p-Pa55word", row.ProtectedSmtpPassword, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-path", row.ProtectedWebhookUrl, StringComparison.Ordinal);
        var audit = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "Alerts changed", Ct);
        Assert.Equal("e-mail on (127.0.0.1:" + _smtp.Port + ", 1 recipient); webhook on; digest at 07:00 UTC", audit.Details);
    }

    [Theory]
    [InlineData("smtp.example.com", 587, "easyconnect@msp.example", "admin@msp.example", null, null)]
    [InlineData("", 587, "easyconnect@msp.example", "admin@msp.example", "SmtpHost", "Enter the SMTP server's host name, such as smtp.office365.com.")]
    [InlineData("https://smtp.example.com", 587, "easyconnect@msp.example", "admin@msp.example", "SmtpHost", "Enter only the host name, such as smtp.office365.com (no https://, no spaces).")]
    [InlineData("smtp.example.com", 0, "easyconnect@msp.example", "admin@msp.example", "SmtpPort", "The port is a number from 1 to 65535 (usually 587, or 465 for TLS from the start).")]
    [InlineData("smtp.example.com", 587, "easyconnect", "admin@msp.example", "FromAddress", "Enter the sender's e-mail address, such as easyconnect@your-msp.com.")]
    [InlineData("smtp.example.com", 587, "easyconnect@msp.example", "admin@msp.example, tech", "ToAddresses", "\"tech\" is not an e-mail address; separate recipients with commas.")]
    public void Validate_NamesTheFieldAndWhatToEnter_WhenTheFormIsIncomplete(string host, int port, string from, string to, string? field, string? message)
    {
        var errors = AlertSettingsStore.Validate(new AlertSettingsInput(true, host, port, SmtpSecurity.Auto, "", null, from, to, false, null, "", 7), hasStoredWebhook: false);

        if (field is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Equal(message, Assert.Single(errors, e => e.Key == field).Value);
        }
    }

    [Fact]
    public void Validate_RefusesAPlainHttpWebhook_WhenItIsNotOnThisMachine()
    {
        var errors = AlertSettingsStore.Validate(new AlertSettingsInput(false, "", 587, SmtpSecurity.Auto, "", null, "", "", true, "http://hooks.example.com/abc", "", 7), false);

        Assert.Equal("The webhook address must start with https:// (the address is a secret; plain http would expose it).", errors["WebhookUrl"]);
    }

    private AlertSettingsInput Input(string? webhook = null) => new(
        true, "127.0.0.1", _smtp.Port, SmtpSecurity.None, "", null, "easyconnect@msp.example", "admin@msp.example",
        webhook is not null, webhook, "https://easyconnect.msp.example", 7);

    private async Task ConfigureAsync(int digestHour = 7) =>
        await Store.SaveAsync(Input(webhook: _webhook.Url) with { DigestHourUtc = digestHour }, "admin@msp.example", Ct);

    private async Task AddRunAsync(RunFailureCause cause, string message)
    {
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var now = _clock.GetUtcNow();
        db.SyncRuns.Add(new SyncRun
        {
            Id = Guid.NewGuid(), ConnectionId = _connection, Kind = SyncRunKind.Incremental, Trigger = SyncTrigger.Scheduled, StartedAt = now.AddSeconds(-5),
            FinishedAt = now.AddSeconds(1), Status = SyncRunStatus.Failed, FailureCause = cause, Message = message,
        });
        await db.SaveChangesAsync(Ct);
    }
}
