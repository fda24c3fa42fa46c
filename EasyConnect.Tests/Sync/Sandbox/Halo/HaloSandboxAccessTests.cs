using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Halo;
using EasyConnect.Sync.Sandbox;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Sandbox.Halo;

/// <summary>
/// How the HaloPSA sandbox lets a client in and holds it back, over real HTTP: the client-credentials grant (tenant, client, scope),
/// tokens that expire, the rolling request limit with its long cool-off, and the shared faults aimed at creates or updates.
/// </summary>
public sealed class HaloSandboxAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Token_IssuesABearerTokenThatReadsTheApi_WhenTheClientAndTenantAreRight()
    {
        // Arrange
        await using var host = await HaloSandboxHost.StartAsync(o => o.Tenant = "acme");

        // Act
        using var response = await host.RequestTokenAsync(tenant: "acme");
        var token = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);
        using var http = host.Client(token!["access_token"]!.GetValue<string>());
        using var me = await http.GetAsync("Agent/me", Ct);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", token["token_type"]!.GetValue<string>());
        Assert.Equal(3600, token["expires_in"]!.GetValue<int>());
        Assert.Equal("all", token["scope"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.True((await me.Content.ReadFromJsonAsync<JsonObject>(Ct))!["isapiagent"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SandboxValues_OfTheHaloProduct_GetATokenFromTheRunningSandbox()
    {
        // Arrange: what "Use the sandbox" fills in on the Integration page.
        await using var host = await HaloSandboxHost.StartAsync(o => o.Tenant = "demo");
        var product = HaloProduct.Description;
        var context = new PsaSandboxContext(host.Root.ToString().TrimEnd('/'), host.Server.Services);
        var values = product.ConnectionFields.Where(f => f.SandboxValue is not null).ToDictionary(f => f.Name, f => f.SandboxValue!(context)!);

        // Act
        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = values[HaloProduct.ClientId],
            ["client_secret"] = values[HaloProduct.ClientSecret],
            ["scope"] = "all",
        });
        using var response = await http.PostAsync($"{values[HaloProduct.Address]}/auth/token?tenant={values[HaloProduct.Tenant]}", form, Ct);

        // Assert
        Assert.True(product.Sandbox!.IsRunning(host.Server.Services));
        Assert.Equal(HaloProduct.SandboxPath, product.Sandbox.PathPrefix);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("secret", "invalid_client")]
    [InlineData("tenant", "invalid_request")]
    [InlineData("scope", "invalid_scope")]
    public async Task Token_AnswersAnOAuthError_WhenTheRequestIsWrong(string wrong, string error)
    {
        // Arrange
        await using var host = await HaloSandboxHost.StartAsync(o => o.Tenant = "acme");

        // Act
        using var response = await host.RequestTokenAsync(
            clientSecret: wrong == "secret" ? "not-the-secret" : null, tenant: wrong == "tenant" ? null : "acme", scope: wrong == "scope" ? "everything" : "all");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Ct);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_AnswersUnauthorized_WhenTheTokenHasExpiredOrIsUnknown()
    {
        // Arrange
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var host = await HaloSandboxHost.StartAsync(o => o.TokenLifetime = TimeSpan.FromMinutes(10), time);
        using var http = await host.ClientAsync();
        using var fresh = await http.GetAsync("Status", Ct);

        // Act
        time.Advance(TimeSpan.FromMinutes(10));
        using var expired = await http.GetAsync("Status", Ct);
        using var stranger = host.Client("not-a-token");
        using var unknown = await stranger.GetAsync("Status", Ct);

        // Assert
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("Bearer", expired.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public async Task Api_RefusesAWrite_WhenTheTokensScopeOnlyReads()
    {
        // Arrange
        await using var host = await HaloSandboxHost.StartAsync();
        using var http = await host.ClientAsync("read:tickets");

        // Act
        using var read = await http.GetAsync("Tickets", Ct);
        using var write = await http.PostAsync("Tickets", Json("""[{"summary":"x","client_id":12}]"""), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Fact]
    public async Task Api_ThrottlesForTheWholeCoolOff_WhenTheRollingWindowIsUsedUp()
    {
        // Arrange: 5 requests a minute, then a 10-minute cool-off.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var host = await HaloSandboxHost.StartAsync(o =>
        {
            o.RateLimit = 5;
            o.RateWindow = TimeSpan.FromMinutes(1);
            o.CoolOff = TimeSpan.FromMinutes(10);
        }, time);
        using var http = await host.ClientAsync();
        for (var i = 0; i < 5; i++)
        {
            (await http.GetAsync("Status", Ct)).EnsureSuccessStatusCode();
        }

        // Act
        using var throttled = await http.GetAsync("Status", Ct);
        time.Advance(TimeSpan.FromMinutes(2));
        using var stillCooling = await http.GetAsync("Status", Ct);
        time.Advance(TimeSpan.FromMinutes(8));
        using var after = await http.GetAsync("Status", Ct);

        // Assert
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(10), throttled.Headers.RetryAfter!.Delta);
        Assert.Contains("Rate Limit Reached", await throttled.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillCooling.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(8), stillCooling.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(2, host.State.Throttled);
    }

    [Fact]
    public async Task FailNext_LosesTheAnswerOfACreateOnly_AndTheTicketIsStillWritten()
    {
        // Arrange
        await using var host = await HaloSandboxHost.StartAsync();
        host.State.Faults.Faults = new SandboxFaults { HangMs = 200 };
        host.Sandbox.FailNext(SandboxFaultKind.LostResponse, PsaSandboxOperation.CreateTicket);
        using var http = await host.ClientAsync();

        // Act: an update and a read pass; the create is applied but its answer never comes.
        using var update = await http.PostAsync("Tickets", Json("""[{"id":2001,"summary":"Renamed"}]"""), Ct);
        using var read = await http.GetAsync("Tickets?client_ref=ZD-77", Ct);
        var lost = await Record.ExceptionAsync(async () =>
            await http.PostAsync("Tickets", Json("""[{"summary":"From the portal","client_id":12,"client_reference":"ZD-77"}]"""), Ct));
        var found = await http.GetFromJsonAsync<JsonObject>("Tickets?client_ref=ZD-77", Ct);

        // Assert
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(0, (await read.Content.ReadFromJsonAsync<JsonObject>(Ct))!["record_count"]!.GetValue<int>());
        Assert.IsType<HttpRequestException>(lost);
        Assert.Equal(1, found!["record_count"]!.GetValue<int>());
        Assert.Contains(host.State.Faults.Requests, r => r.Fault == SandboxFaultKind.LostResponse && r.Path.EndsWith("#create", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Faults_AnswerAServerErrorAndAThrottle_WhenTheRatesSaySo()
    {
        // Arrange
        await using var host = await HaloSandboxHost.StartAsync();
        using var http = await host.ClientAsync();
        host.State.Faults.Faults = new SandboxFaults { RetryAfterSeconds = 7 };
        host.State.Faults.FailNext(SandboxFaultKind.ServerError);
        host.State.Faults.FailNext(SandboxFaultKind.Throttle);

        // Act
        using var error = await http.GetAsync("Tickets", Ct);
        using var throttled = await http.GetAsync("Tickets", Ct);
        using var fine = await http.GetAsync("Tickets", Ct);

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), throttled.Headers.RetryAfter!.Delta);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
