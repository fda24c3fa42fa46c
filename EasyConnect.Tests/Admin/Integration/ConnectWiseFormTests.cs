using Bunit;
using EasyConnect.Admin.Components.Integration;
using EasyConnect.Sync.Connections;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Admin.Integration;

public sealed class ConnectWiseFormTests : MudTestContext
{
    [Theory]
    [InlineData("cw_site", "The site can be at most 150 characters.")]
    [InlineData("cw_companyId", "The company ID can be at most 150 characters.")]
    [InlineData("cw_privateKey", "The private key can be at most 150 characters.")]
    public async Task Connect_ShowsPlainMessageAndSendsNothing_WhenAFieldIsLongerThanTheLimit(string field, string message)
    {
        var sent = new List<ConnectionDraft>();
        var form = Render<ConnectWiseForm>(p => p.Add(f => f.OnConnect, draft => sent.Add(draft)));
        foreach (var name in new[] { "cw_site", "cw_companyId", "cw_publicKey", "cw_privateKey", "cw_clientId" })
        {
            await Input(form, name).ChangeAsync(new() { Value = name == field ? new string('x', 5_000) : "value" });
        }

        await form.Find("[data-testid=connect]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Contains(message, form.Markup, StringComparison.Ordinal));
        Assert.Empty(sent);
    }

    [Fact]
    public async Task Connect_SendsTheDraft_WhenEveryFieldIsWithinTheLimit()
    {
        var sent = new List<ConnectionDraft>();
        var form = Render<ConnectWiseForm>(p => p.Add(f => f.OnConnect, draft => sent.Add(draft)));
        foreach (var name in new[] { "cw_site", "cw_companyId", "cw_publicKey", "cw_privateKey", "cw_clientId" })
        {
            await Input(form, name).ChangeAsync(new() { Value = new string('x', PsaConnection.FieldMaxLength) });
        }

        await form.Find("[data-testid=connect]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Single(sent));
    }

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<ConnectWiseForm> form, string testId) =>
        form.Find($"input[data-testid={testId}], [data-testid={testId}] input");
}
