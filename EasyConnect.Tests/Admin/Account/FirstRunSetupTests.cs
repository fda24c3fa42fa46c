using System.Net;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Admin.Account;

public sealed class FirstRunSetupTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;
    private HttpClient _client = default!;

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres);
        _client = _app.CreateBrowserlikeClient();
    }

    private string SetupCode => _app.Services.GetRequiredService<FirstRunSetup>().SetupCode;

    [Fact]
    public async Task Root_LeadsToSetupPage_WhenNoUserExists()
    {
        var root = await _client.GetAsync("/", TestContext.Current.CancellationToken);
        var login = await _client.GetAsync(root.Headers.Location, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.EndsWith("/setup", login.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SetupCode_IsPrintedToTheLog_WhenNoUserExists()
    {
        Assert.Matches("^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$", SetupCode);
        Assert.Contains(_app.Log.Lines, line => line.Contains("First-run setup", StringComparison.Ordinal) && line.Contains(SetupCode, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Setup_RefusesAndCreatesNoUser_WhenCodeIsWrong()
    {
        var response = await PostSetupAsync("AAAA-BBBB-CCCC");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The setup code is not right", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.True(await _app.Services.GetRequiredService<FirstRunSetup>().IsRequiredAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Setup_CreatesAdministratorWhoCanLogIn_WhenCodeIsRight()
    {
        var response = await PostSetupAsync(SetupCode);
        var login = await _client.LoginAsync("first@msp.example");
        var overview = await _client.GetAsync("/", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains("Getting started", await overview.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetupPage_IsGone_OnceAnyUserExists()
    {
        await _app.CreateUserAsync("someone@msp.example", Roles.Support);

        var page = await _client.GetAsync("setup", TestContext.Current.CancellationToken);
        var replay = await _app.Services.GetRequiredService<FirstRunSetup>()
            .CreateFirstAdminAsync(SetupCode, "intruder@evil.example", "Intruder", TestUsers.Password, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("Account/Login", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.False(replay.Succeeded);
    }

    [Theory]
    [InlineData("name", "The name can be at most 200 characters.")]
    [InlineData("email", "The email can be at most 256 characters.")]
    public async Task Setup_ShowsAPlainMessageAndCreatesNoUser_WhenAFieldIsLongerThanItsColumn(string field, string message)
    {
        // Arrange
        var name = field == "name" ? new string('n', 5_000) : "First Admin";
        var email = field == "email" ? new string('e', 5_000) + "@msp.example" : "first@msp.example";

        // Act
        var response = await PostSetupAsync(SetupCode, name, email);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.True(await _app.Services.GetRequiredService<FirstRunSetup>().IsRequiredAsync(TestContext.Current.CancellationToken));
    }

    private Task<HttpResponseMessage> PostSetupAsync(string code, string name = "First Admin", string email = "first@msp.example") => _client.PostFormAsync("setup", new Dictionary<string, string>
    {
        ["Input.SetupCode"] = code,
        ["Input.DisplayName"] = name,
        ["Input.Email"] = email,
        ["Input.Password"] = TestUsers.Password,
        ["Input.ConfirmPassword"] = TestUsers.Password,
    });

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }
}
