using System.Net;
using System.Text;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Admin.Hosting;

/// <summary>Bad requests get a 4xx with a plain answer, never a 500 or a stack trace; Production shows no stack trace anywhere.</summary>
public sealed class ErrorResponsesTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Testing")]
    [InlineData("Production")]
    public async Task Responses_AreNeverA500OrAStackTrace_OnEveryKindOfRoute(string environment)
    {
        // Arrange
        await using var app = await EasyConnectApp.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["EasyConnect:Jobs:RunServer"] = "false",
            ["EasyConnect:Sandbox:Enabled"] = "true",
        }, environment: environment);
        await TestUsers.CreateAllAsync(app);
        using var client = app.CreateBrowserlikeClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync(TestUsers.Admin)).StatusCode);
        var requests = new (string Label, Func<HttpRequestMessage> Request, bool MustBeClientError)[]
        {
            ("page", () => new(HttpMethod.Get, "/"), false),
            ("account page", () => new(HttpMethod.Get, "/Account/LoginWith2fa"), false),
            ("missing page", () => new(HttpMethod.Get, "/no-such-page"), true),
            ("static file", () => new(HttpMethod.Get, "/favicon.svg"), false),
            ("health", () => new(HttpMethod.Get, "/healthz"), false),
            ("dashboard stats by GET", () => new(HttpMethod.Get, "/hangfire/stats"), true),
            ("dashboard POST with a JSON body", () => new(HttpMethod.Post, "/hangfire/stats") { Content = new StringContent("{\"x\":1}", Encoding.UTF8, "application/json") }, true),
            ("dashboard POST with no body", () => new(HttpMethod.Post, "/hangfire/recurring/trigger"), true),
            ("sandbox API with a bad id", () => new(HttpMethod.Get, "/sandbox/portal/api/v2/tickets/abc.json"), true),
            ("sandbox form without a token", () => new(HttpMethod.Post, "/sandbox/portal/_sandbox/tickets")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["subject"] = "Forged", ["description"] = "From another site." }),
            }, true),
            ("logout without a token", () => new(HttpMethod.Post, "/Account/Logout"), true),
        };

        // Act
        var answers = new List<string>();
        foreach (var (label, request, mustBeClientError) in requests)
        {
            using var message = request();
            using var response = await client.SendAsync(message, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            var status = (int)response.StatusCode;
            if (status >= 500 || (mustBeClientError && status is < 400 or >= 500) || body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
            {
                answers.Add($"{label}: {status} {body[..Math.Min(body.Length, 300)]}");
            }
        }

        // Assert
        Assert.True(answers.Count == 0, string.Join("\n", answers));
    }

    [Fact]
    public async Task SandboxForm_IsAccepted_WithThePagesAntiforgeryToken()
    {
        // Arrange
        await using var app = await EasyConnectApp.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["EasyConnect:Jobs:RunServer"] = "false",
            ["EasyConnect:Sandbox:Enabled"] = "true",
        });
        await TestUsers.CreateAllAsync(app);
        using var client = app.CreateBrowserlikeClient();
        await client.LoginAsync(TestUsers.Admin);

        // Act
        var response = await client.PostFormAsync("/sandbox/portal/_sandbox/", "/sandbox/portal/_sandbox/tickets",
            new Dictionary<string, string> { ["subject"] = "From the sandbox page", ["description"] = "Posted with its token." });

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await client.GetStringAsync(new Uri("/sandbox/portal/_sandbox/", UriKind.Relative), Ct);
        Assert.Contains("From the sandbox page", page, StringComparison.Ordinal);
    }
}
