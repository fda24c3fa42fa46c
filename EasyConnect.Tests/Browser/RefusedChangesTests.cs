using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>
/// Changes that ask first or are refused: the field shows the stored value again at once, and the messages say what happened to whom.
/// </summary>
public sealed class RefusedChangesTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    private const string Colleague = "new.hire@msp.example";

    [Fact]
    public async Task RoleChange_AsksFirst_AndTheSelectShowsTheStoredRoleAgain_WhenCancelledOrRefused()
    {
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await LoginAsync(TestUsers.Admin);
        await GoToAsync("users");
        var role = Page.GetByTestId($"role-{TestUsers.Admin}");

        // Cancelled: nothing changes.
        await ChooseAsync(role, "Technician");
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync($"{TestUsers.Admin} becomes Technician");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await ExpectShowsAsync(role, "Admin", "Technician");

        // Confirmed, and refused: the only admin stays one.
        await ChooseAsync(role, "Support");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Change role" }).ClickAsync();
        await Assertions.Expect(Page.GetByText("This is the last active administrator.")).ToBeVisibleAsync();
        await ExpectShowsAsync(role, "Admin", "Support");
        Assert.Equal(Roles.Admin, (await App.Services.GetRequiredService<UserDirectory>().ListAsync(0, 10, TestUsers.Admin, Ct)).Items.Single().Role);
    }

    [Fact]
    public async Task AddUser_NamesTheNewUserInItsMessage()
    {
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await LoginAsync(TestUsers.Admin);
        await GoToAsync("users");

        await Page.GetByTestId("create-user").ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email").FillAsync("tess@msp.example");
        await dialog.GetByLabel("Name").FillAsync("Tess Tech");
        await dialog.GetByLabel("Initial password").FillAsync(TestUsers.Password);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();

        await Assertions.Expect(Page.GetByText("tess@msp.example added.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task RefusedUserMapping_ShowsTheStoredMemberAgain_AndChangingTheDefaultBoardWarnsAboutTheStatusMap()
    {
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await App.CreateUserAsync(Colleague, Roles.Technician);
        var connection = await ConnectSandboxesAsync();
        var mappings = App.Services.GetRequiredService<UserMappings>();
        var member = (await mappings.SearchMembersAsync(connection, null, 50, Ct)).First(m => !m.Inactive && m.Email != "easyconnect-api@msp.example");
        var admin = (await mappings.ListAsync(connection, UserMappingFilter.All, TestUsers.Admin, 0, 10, Ct)).Items.Single();
        Assert.Null(await mappings.MapAsync(connection, admin.UserId, member.Id, "tests", Ct));
        await LoginAsync(TestUsers.Admin);

        // The admin's member chosen for the colleague too: refused, and the colleague's field is empty again.
        await GoToAsync("user-mapping");
        var field = Page.GetByLabel($"PSA member of {Colleague}");
        await field.FillAsync(member.Name.Split(' ')[0]);
        await Page.GetByRole(AriaRole.Option, new() { Name = member.Name }).First.ClickAsync();
        await Assertions.Expect(Page.GetByText($"is already mapped to {TestUsers.Admin}")).ToBeVisibleAsync();
        await Assertions.Expect(field).ToHaveValueAsync("");

        // Another default board: a warning first; cancelled, the board stays.
        var boards = await App.Services.GetRequiredService<AdvancedSettingsStore>().BoardsAsync(connection, Ct);
        var current = (await App.Services.GetRequiredService<AdvancedSettingsStore>().GetAsync(connection, Ct)).DefaultBoardId;
        var (from, to) = (boards.Single(b => b.Id == current).Name, boards.First(b => b.Id != current).Name);
        await GoToAsync("advanced-settings");
        var board = Page.GetByTestId("default-board");
        await ChooseAsync(board, to);
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("the status map is emptied");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await ExpectShowsAsync(board, from, to);
        await ChooseAsync(board, to);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Change board" }).ClickAsync();
        await ExpectShowsAsync(board, to, from);
    }

    private async Task ChooseAsync(ILocator select, string option)
    {
        await select.ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    private static async Task ExpectShowsAsync(ILocator select, string shown, string notShown)
    {
        await Assertions.Expect(select).ToContainTextAsync(shown);
        await Assertions.Expect(select).Not.ToContainTextAsync(notShown);
    }
}
