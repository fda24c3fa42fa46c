using Bunit;
using EasyConnect.Admin.Components.Integration;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Admin.Integration;

public sealed class PsaConnectionFormTests : MudTestContext
{
    private static readonly string[] ConnectWiseFields = ["cw_site", "cw_companyId", "cw_publicKey", "cw_privateKey", "cw_clientId"];

    [Theory]
    [InlineData("cw_site", "The site can be at most 150 characters.")]
    [InlineData("cw_companyId", "The company ID can be at most 150 characters.")]
    [InlineData("cw_privateKey", "The private key can be at most 150 characters.")]
    public async Task Connect_ShowsPlainMessageAndSendsNothing_WhenAFieldIsLongerThanTheLimit(string field, string message)
    {
        var sent = new List<ConnectionDraft>();
        var form = RenderForm(ConnectWiseProduct.Description, p => p.Add(f => f.OnConnect, draft => sent.Add(draft)));
        foreach (var name in ConnectWiseFields)
        {
            await Input(form, name).ChangeAsync(new() { Value = name == field ? new string('x', 5_000) : "value" });
        }

        await form.Find("[data-testid=connect]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Contains(message, form.Markup, StringComparison.Ordinal));
        Assert.Empty(sent);
    }

    [Fact]
    public async Task Connect_SendsTheDraftOfTheProduct_WhenEveryFieldIsWithinTheLimit()
    {
        var sent = new List<ConnectionDraft>();
        var form = RenderForm(ConnectWiseProduct.Description, p => p.Add(f => f.OnConnect, draft => sent.Add(draft)));
        foreach (var name in ConnectWiseFields)
        {
            await Input(form, name).ChangeAsync(new() { Value = name + new string('x', PsaConnection.FieldMaxLength - name.Length) });
        }

        await form.Find("[data-testid=connect]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Single(sent));
        Assert.Equal(PsaKind.ConnectWise, sent[0].Kind);
        Assert.StartsWith("cw_privateKey", sent[0].Values[ConnectWiseProduct.PrivateKey], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_ShowsTheFieldsRequiredMessage_WhenARequiredFieldIsEmpty()
    {
        var sent = new List<ConnectionDraft>();
        var form = RenderForm(ConnectWiseProduct.Description, p => p.Add(f => f.OnConnect, draft => sent.Add(draft)));

        await form.Find("[data-testid=connect]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Contains("Enter the company id you log in with.", form.Markup, StringComparison.Ordinal));
        Assert.Empty(sent);
    }

    [Theory]
    [InlineData(PsaKind.ConnectWise)]
    [InlineData(PsaKind.Autotask)]
    [InlineData(PsaKind.Halo)]
    public void Render_AsksForEachConnectionFieldAndHidesTheMaskedOnes_ForEveryProduct(PsaKind kind)
    {
        var product = PsaProducts.Get(kind);

        var form = RenderForm(product);

        foreach (var field in product.ConnectionFields)
        {
            var input = Input(form, $"{product.ShortName.ToLowerInvariant()}_{field.Name}");
            Assert.Equal(field.Masked ? "password" : "text", input.GetAttribute("type"));
        }

        Assert.Contains(product.ConnectionFields, f => f.Masked);
    }

    [Fact]
    public async Task UseTheSandbox_FillsTheSandboxValues_AndConnectSendsThem()
    {
        var sent = new List<ConnectionDraft>();
        var values = ConnectWiseProduct.Description.ConnectionFields.ToDictionary(f => f.Name, f => $"sandbox-{f.Name}");
        var form = RenderForm(ConnectWiseProduct.Description, p => p.Add(f => f.SandboxValues, values).Add(f => f.OnConnect, draft => sent.Add(draft)));

        await form.Find("[data-testid=use-sandbox]").ClickAsync(new());
        await form.Find("[data-testid=connect]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Single(sent));
        Assert.Equal(values, sent[0].Values);
    }

    [Fact]
    public void Render_OffersNoSandboxAndNoConnect_WhenTheProductHasNoSandboxAndCannotBeConnectedYet()
    {
        var form = RenderForm(PsaProducts.Get(PsaKind.Halo), p => p.Add(f => f.Connectable, false));

        Assert.Empty(form.FindAll("[data-testid=use-sandbox]"));
        Assert.True(form.Find("[data-testid=connect]").HasAttribute("disabled"));
        Assert.True(form.Find("[data-testid=test-connection]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Connect_SendsTheAutotaskDraft_WithTheZoneLookupLeftEmpty()
    {
        var sent = new List<ConnectionDraft>();
        var form = RenderForm(AutotaskProduct.Description, p => p.Add(f => f.OnConnect, draft => sent.Add(draft)));
        await Input(form, "autotask_userName").ChangeAsync(new() { Value = "api@msp.example" });
        await Input(form, "autotask_secret").ChangeAsync(new() { Value = "s3cret" });
        await Input(form, "autotask_integrationCode").ChangeAsync(new() { Value = "TRACKING" });

        await form.Find("[data-testid=connect]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Single(sent));
        Assert.Equal("", sent[0].Values[AutotaskProduct.ZoneLookup]);
    }

    [Fact]
    public async Task Connect_SaysWhatIsWrongAndSendsNothing_WhenTheZoneLookupIsNotAnHttpAddress()
    {
        var sent = new List<ConnectionDraft>();
        var form = RenderForm(AutotaskProduct.Description, p => p.Add(f => f.OnConnect, draft => sent.Add(draft)));
        await Input(form, "autotask_userName").ChangeAsync(new() { Value = "api@msp.example" });
        await Input(form, "autotask_secret").ChangeAsync(new() { Value = "s3cret" });
        await Input(form, "autotask_integrationCode").ChangeAsync(new() { Value = "TRACKING" });
        await Input(form, "autotask_zoneLookupUrl").ChangeAsync(new() { Value = "webservices.autotask.net" });

        await form.Find("[data-testid=connect]").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Contains("Enter an http or https address", form.Markup, StringComparison.Ordinal));
        Assert.Empty(sent);
    }

    private IRenderedComponent<PsaConnectionForm> RenderForm(PsaProduct product, Action<ComponentParameterCollectionBuilder<PsaConnectionForm>>? parameters = null) =>
        Render<PsaConnectionForm>(p =>
        {
            p.Add(f => f.Product, product);
            parameters?.Invoke(p);
        });

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<PsaConnectionForm> form, string testId) =>
        form.Find($"input[data-testid={testId}], [data-testid={testId}] input");
}
