using Bunit;
using EasyConnect.Admin.Components.Users;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EasyConnect.Tests.Admin.Users;

/// <summary>The Add user dialog on the real user directory and database.</summary>
public sealed class CreateUserDialogTests(PostgresServer postgres) : MudTestContext, IAsyncLifetime
{
    private EasyConnectApp _app = default!;
    private AsyncServiceScope _scope;

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres);
        _scope = _app.Services.CreateAsyncScope();
        Services.AddSingleton(_scope.ServiceProvider.GetRequiredService<UserDirectory>());
        AddAuthorization().SetAuthorized(TestUsers.Admin).SetRoles(Roles.Admin);
    }

    [Theory]
    [InlineData("user-name", "The name can be at most 200 characters.")]
    [InlineData("user-email", "The email can be at most 256 characters.")]
    public async Task AddUser_ShowsPlainMessageAndSavesNothing_WhenAFieldIsLongerThanItsColumn(string field, string message)
    {
        var provider = Render<MudDialogProvider>();
        await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<CreateUserDialog>("Add user"));
        await Input(provider, "user-email").ChangeAsync(new() { Value = field == "user-email" ? new string('e', 5_000) + "@msp.example" : "long@msp.example" });
        await Input(provider, "user-name").ChangeAsync(new() { Value = field == "user-name" ? new string('n', 5_000) : "Long" });
        await provider.Find("input[type=password]").ChangeAsync(new() { Value = TestUsers.Password });

        await provider.FindAll("button").Single(b => b.TextContent.Trim() == "Add user").ClickAsync(new());

        provider.WaitForAssertion(() => Assert.Contains(message, provider.Markup, StringComparison.Ordinal));
        var directory = _scope.ServiceProvider.GetRequiredService<UserDirectory>();
        Assert.Equal(0, (await directory.ListAsync(0, 10, null, Ct)).Total);
    }

    public new async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _app.DisposeAsync();
        await base.DisposeAsync();
    }

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<MudDialogProvider> provider, string testId) =>
        provider.Find($"input[data-testid={testId}], [data-testid={testId}] input");
}
