using System.Net;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Admin.Hosting;

/// <summary>Every kind of response carries the security headers; behind a TLS-terminating proxy the login cookie is Secure.</summary>
public sealed class SecurityHeadersTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres, new Dictionary<string, string?> { ["EasyConnect:Jobs:RunServer"] = "false" });
        await TestUsers.CreateAllAsync(_app);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/")]
    [InlineData("/Account/Login")]
    [InlineData("/hangfire")]
    [InlineData("/healthz")]
    [InlineData("/favicon.svg")]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/no-such-page")]
    public async Task Response_CarriesTheSecurityHeadersAndNoServerHeader_ForEveryKindOfRoute(string path)
    {
        // Arrange
        using var client = _app.CreateBrowserlikeClient();

        // Act
        using var response = await client.GetAsync(path, Ct);

        // Assert
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("frame-ancestors 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"), "a Server header was sent");
        Assert.Null(Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Response_CarriesHsts_WhenAProxyForwardedAnHttpsRequest()
    {
        // Arrange
        using var client = _app.CreateBrowserlikeClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "easyconnect.msp.example");

        // Act
        using var response = await client.SendAsync(request, Ct);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("max-age=31536000", Header(response, "Strict-Transport-Security"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_SetsASecureCookie_WhenAProxyForwardedAnHttpsRequest()
    {
        // Arrange: a client that handles cookies itself, as a browser talking https to the proxy would.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _app.BaseAddress };
        using var page = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        page.Headers.Add("X-Forwarded-Proto", "https");
        using var form = await client.SendAsync(page, Ct);
        var html = await form.Content.ReadAsStringAsync(Ct);
        var cookies = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var fields = Forms.HiddenFields(html);
        fields["Input.Email"] = TestUsers.Admin;
        fields["Input.Password"] = TestUsers.Password;
        using var login = new HttpRequestMessage(HttpMethod.Post, "/Account/Login") { Content = new FormUrlEncodedContent(fields) };
        login.Headers.Add("X-Forwarded-Proto", "https");
        login.Headers.Add("Cookie", cookies);

        // Act
        using var response = await client.SendAsync(login, Ct);

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("EasyConnect.Auth=", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;
}
