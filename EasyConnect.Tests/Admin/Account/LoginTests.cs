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

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    [InlineData("/\\evil.example/steal")]
    [InlineData("javascript:alert(1)")]
    [InlineData("http:/evil.example")]
    public async Task Login_GoesToTheOverview_WhenReturnUrlLeavesTheSite(string returnUrl)
    {
        // Act
        var response = await _client.PostFormAsync($"Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}",
            new Dictionary<string, string> { ["Input.Email"] = TestUsers.Admin, ["Input.Password"] = TestUsers.Password });

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.AbsolutePath : response.Headers.Location.OriginalString);
        Assert.Equal(_app.BaseAddress.Authority, new Uri(_app.BaseAddress, response.Headers.Location).Authority);
    }

    [Fact]
    public async Task Login_FollowsReturnUrl_WhenItIsAPageOfTheSite()
    {
        var response = await _client.PostFormAsync($"Account/Login?ReturnUrl={Uri.EscapeDataString("/tickets?filter=held")}",
            new Dictionary<string, string> { ["Input.Email"] = TestUsers.Admin, ["Input.Password"] = TestUsers.Password });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith("/tickets?filter=held", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_AnswersTheSame_ForAWrongPasswordAnUnknownEmailALockedAndADisabledAccount()
    {
        // Arrange: the technician locked out, the support engineer disabled.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await _client.LoginAsync(TestUsers.Technician, "wrong-password");
        }

        await DisableAsync(TestUsers.Support);

        // Act
        var answers = new List<string>();
        foreach (var (email, password) in new[]
        {
            (TestUsers.Admin, "wrong-password"), ("nobody@msp.example", "wrong-password"), (TestUsers.Technician, "wrong-password"), (TestUsers.Support, "wrong-password"),
        })
        {
            var response = await _client.LoginAsync(email, password);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(StatusMessage(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        }

        // Assert
        Assert.All(answers, a => Assert.Equal("The email or password is not right.", a));
    }

    [Fact]
    public async Task Login_CountsWrongTwoFactorCodes_AndLocksTheAccountOutAfterFive()
    {
        // Arrange
        await EnableTwoFactorAsync(TestUsers.Admin);
        var password = await _client.LoginAsync(TestUsers.Admin);
        Assert.Contains("Account/LoginWith2fa", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var page = password.Headers.Location.OriginalString.TrimStart('/');

        // Act
        HttpResponseMessage last = default!;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            last = await _client.PostFormAsync(page, new Dictionary<string, string> { ["Input.Code"] = "000000" });
        }

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, last.StatusCode);
        Assert.Contains("Account/Lockout", last.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await _client.GetAsync("/", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Login_SendsAnAdministratorToTwoFactorSetUp_WhenTheSettingRequiresIt()
    {
        // Arrange
        await _app.Services.GetRequiredService<SignInPolicy>().SetAsync(TwoFactorRequirement.Administrators, TestUsers.Admin, TestContext.Current.CancellationToken);

        // Act
        var admin = await _client.LoginAsync(TestUsers.Admin);
        var page = await _client.GetAsync("/tickets", TestContext.Current.CancellationToken);
        using var technician = _app.CreateBrowserlikeClient();
        var tech = await technician.LoginAsync(TestUsers.Technician);

        // Assert
        Assert.Contains("Account/Manage/EnableAuthenticator?required=true", admin.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("Account/Manage/EnableAuthenticator", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("EnableAuthenticator", tech.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private async Task DisableAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<UserDirectory>();
        var (users, _) = await directory.ListAsync(0, 10, email, TestContext.Current.CancellationToken);
        Assert.True((await directory.DisableAsync(users.Single().Id, TestUsers.Admin, TestContext.Current.CancellationToken)).Succeeded);
    }

    private async Task EnableTwoFactorAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AppUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
    }

    private static string StatusMessage(string html) =>
        System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"status-message\">([^<]*)<").Groups[1].Value);

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }
}
