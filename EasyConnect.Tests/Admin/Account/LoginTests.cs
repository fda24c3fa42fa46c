using System.Net;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Admin.Account;

public sealed class LoginTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;
    private HttpClient _client = default!;

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres);
        await TestUsers.CreateAllAsync(_app);
        _client = _app.CreateBrowserlikeClient();
    }

    [Fact]
    public async Task Login_RedirectsToReturnUrlWithCookie_WhenPasswordIsRight()
    {
        var response = await _client.LoginAsync(TestUsers.Admin);
        var overview = await _client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("EasyConnect.Auth=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
    }

    [Fact]
    public async Task Login_ShowsPlainMessageAndSetsNoCookie_WhenPasswordIsWrong()
    {
        var response = await _client.LoginAsync(TestUsers.Admin, "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not right.", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("EasyConnect.Auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Login_LocksAccountOut_AfterFiveFailedAttempts()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await _client.LoginAsync(TestUsers.Technician, "wrong-password");
        }

        var withRightPassword = await _client.LoginAsync(TestUsers.Technician);

        Assert.Equal(HttpStatusCode.Redirect, withRightPassword.StatusCode);
        Assert.Contains("Account/Lockout", withRightPassword.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await _client.GetAsync("/", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Login_IsRefusedWithReason_WhenUserIsDisabled()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<UserDirectory>();
            var (users, _) = await directory.ListAsync(0, 10, TestUsers.Support, TestContext.Current.CancellationToken);
            Assert.True((await directory.DisableAsync(users.Single().Id, TestUsers.Admin, TestContext.Current.CancellationToken)).Succeeded);
        }

        var response = await _client.LoginAsync(TestUsers.Support);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This account is disabled", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_EndsTheSession_WhenPostedFromTheLayoutsForm()
    {
        await _client.LoginAsync(TestUsers.Admin);

        var logout = await _client.PostFormAsync("/", "Account/Logout", new Dictionary<string, string>());
        var afterwards = await _client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, afterwards.StatusCode);
        Assert.Contains("Account/Login", afterwards.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_IsRefused_WhenPostedWithoutAntiforgeryToken()
    {
        await _client.LoginAsync(TestUsers.Admin);

        var forged = await _client.PostAsync("Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>()), TestContext.Current.CancellationToken);
        var afterwards = await _client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }
}
