using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Users;

public sealed class UserDirectoryTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;
    private AsyncServiceScope _scope;
    private UserDirectory _directory = default!;

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres);
        await TestUsers.CreateAllAsync(_app);
        _scope = _app.Services.CreateAsyncScope();
        _directory = _scope.ServiceProvider.GetRequiredService<UserDirectory>();
    }

    [Fact]
    public async Task CreateAsync_AddsUserWithRoleAndAuditsIt_WhenInputIsValid()
    {
        var result = await _directory.CreateAsync("new.tech@msp.example", "New Tech", Roles.Technician, TestUsers.Password, TestUsers.Admin, Ct);

        var user = await FindAsync("new.tech@msp.example");
        Assert.True(result.Succeeded);
        Assert.Equal(Roles.Technician, user.Role);
        Assert.Equal("New Tech", user.DisplayName);
        Assert.Contains(await AuditAsync(), e => e.Action == "User created" && e.Target == "new.tech@msp.example" && e.Actor == TestUsers.Admin);
    }

    [Fact]
    public async Task CreateAsync_RefusesWithMessage_WhenEmailExistsInAnotherCase()
    {
        var result = await _directory.CreateAsync("TECH@msp.example", "Copy", Roles.Support, TestUsers.Password, TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("exists already", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_ExplainsPasswordRule_WhenPasswordIsTooShort()
    {
        var result = await _directory.CreateAsync("short@msp.example", "Short", Roles.Support, "abc", TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("10", StringComparison.Ordinal));
        Assert.Equal(0, (await _directory.ListAsync(0, 10, "short@", Ct)).Total);
    }

    [Fact]
    public async Task CreateAsync_RefusesWithPlainMessageAndSavesNothing_WhenNameIsLongerThanItsColumn()
    {
        var result = await _directory.CreateAsync("long.name@msp.example", new string('n', 5_000), Roles.Support, TestUsers.Password, TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal("The name can be at most 200 characters.", Assert.Single(result.Errors));
        Assert.Equal(0, (await _directory.ListAsync(0, 10, "long.name@", Ct)).Total);
        Assert.DoesNotContain(await AuditAsync(), e => e.Action == "User created" && e.Target == "long.name@msp.example");
    }

    [Fact]
    public async Task CreateAsync_RefusesWithPlainMessage_WhenEmailIsLongerThanItsColumn()
    {
        var email = new string('e', 5_000) + "@msp.example";

        var result = await _directory.CreateAsync(email, "Long Email", Roles.Support, TestUsers.Password, TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal("The email can be at most 256 characters.", Assert.Single(result.Errors));
        Assert.Equal(0, (await _directory.ListAsync(0, 10, "Long Email", Ct)).Total);
    }

    [Fact]
    public async Task ChangeRoleAsync_ChangesRoleAndAudits_WhenAnotherAdminRemains()
    {
        var tech = await FindAsync(TestUsers.Technician);

        var result = await _directory.ChangeRoleAsync(tech.Id, Roles.Admin, TestUsers.Admin, Ct);

        Assert.True(result.Succeeded);
        Assert.Equal(Roles.Admin, (await FindAsync(TestUsers.Technician)).Role);
        Assert.Contains(await AuditAsync(), e => e.Action == "Role changed" && e.Details == "Technician → Admin");
    }

    [Fact]
    public async Task ChangeRoleAsync_Refuses_WhenUserIsTheLastActiveAdmin()
    {
        var admin = await FindAsync(TestUsers.Admin);

        var result = await _directory.ChangeRoleAsync(admin.Id, Roles.Support, TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(Roles.Admin, (await FindAsync(TestUsers.Admin)).Role);
    }

    [Fact]
    public async Task DisableAsync_Refuses_WhenUserIsTheLastActiveAdmin()
    {
        var admin = await FindAsync(TestUsers.Admin);

        var result = await _directory.DisableAsync(admin.Id, TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        Assert.False((await FindAsync(TestUsers.Admin)).IsDisabled);
    }

    [Fact]
    public async Task EnableAsync_LetsDisabledUserLogInAgain()
    {
        var support = await FindAsync(TestUsers.Support);
        await _directory.DisableAsync(support.Id, TestUsers.Admin, Ct);
        using var client = _app.CreateBrowserlikeClient();
        var refused = await client.LoginAsync(TestUsers.Support);

        await _directory.EnableAsync(support.Id, TestUsers.Admin, Ct);
        var accepted = await client.LoginAsync(TestUsers.Support);

        Assert.Equal(System.Net.HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.False((await FindAsync(TestUsers.Support)).IsDisabled);
    }

    [Fact]
    public async Task ListAsync_PagesAndSearches_ByEmailOrName()
    {
        for (var i = 0; i < 30; i++)
        {
            await _directory.CreateAsync($"bulk{i:00}@client.example", $"Bulk {i:00}", Roles.Support, TestUsers.Password, TestUsers.Admin, Ct);
        }

        var page = await _directory.ListAsync(10, 10, "bulk", Ct);
        var byName = await _directory.ListAsync(0, 10, "Bulk 07", Ct);

        Assert.Equal(30, page.Total);
        Assert.Equal("bulk10@client.example", page.Items[0].Email);
        Assert.Equal("bulk07@client.example", Assert.Single(byName.Items).Email);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<UserSummary> FindAsync(string email) => Assert.Single((await _directory.ListAsync(0, 10, email, Ct)).Items);

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync() => (await _app.Services.GetRequiredService<AuditLog>().ListAsync(0, 100, null, Ct)).Items;

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _app.DisposeAsync();
    }
}
