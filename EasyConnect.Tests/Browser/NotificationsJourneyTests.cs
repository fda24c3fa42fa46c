using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>An admin sets up alerts on the Notifications page against a real SMTP server and webhook receiver on loopback.</summary>
public sealed class NotificationsJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser)
{
    [Fact]
    public async Task Admin_SendsATestMessageAndSaves_WhenTheFormIsFilledIn()
    {
        await using var smtp = new TestSmtpServer();
        await using var webhook = await TestWebhookReceiver.StartAsync();
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await LoginAsync(TestUsers.Admin);
        await GoToAsync("notifications");

        // An incomplete form says what to enter, field by field.
        await Page.GetByLabel("Send alerts by e-mail").CheckAsync();
        await Page.GetByTestId("alert-test").ClickAsync();
        await Assertions.Expect(Page.GetByText("Enter the SMTP server's host name, such as smtp.office365.com.")).ToBeVisibleAsync();

        await Page.GetByLabel("SMTP server").FillAsync("127.0.0.1");
        await Page.GetByLabel("Port").FillAsync(smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Page.GetByLabel("Security").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "None (a relay on your own network)" }).ClickAsync();
        await Page.GetByLabel("From").FillAsync("easyconnect@msp.example");
        await Page.GetByLabel("To", new() { Exact = true }).FillAsync("oncall@msp.example");
        await Page.GetByLabel("Post alerts to an incoming webhook").CheckAsync();
        await Page.GetByLabel("Webhook address").FillAsync(webhook.Url);
        await Page.GetByTestId("alert-test").ClickAsync();

        await Assertions.Expect(Page.GetByTestId("alert-delivery").First).ToHaveTextAsync("E-mail: Sent to oncall@msp.example.");
        await Assertions.Expect(Page.GetByTestId("alert-delivery").Nth(1)).ToHaveTextAsync("Webhook: Posted to 127.0.0.1.");
        Assert.Equal("EasyConnect: test message", Assert.Single(smtp.Messages).Subject);
        Assert.Contains("sent this test from the Notifications page", Assert.Single(webhook.Posts), StringComparison.Ordinal);

        await Page.GetByTestId("alert-save").ClickAsync();
        await Assertions.Expect(Page.GetByText("Alert settings saved.")).ToBeVisibleAsync();
        await Page.ReloadAsync();
        await Assertions.Expect(Page.GetByLabel("To", new() { Exact = true })).ToHaveValueAsync("oncall@msp.example");
        // The webhook address is a secret: only its host is shown back.
        await Assertions.Expect(Page.GetByLabel("Webhook address")).ToHaveValueAsync("");
        await Assertions.Expect(Page.GetByText("Stored encrypted (http://127.0.0.1/…); leave empty to keep it")).ToBeVisibleAsync();
    }
}
