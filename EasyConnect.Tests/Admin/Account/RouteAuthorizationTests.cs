using System.Net;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EasyConnect.Tests.Admin.Account;

/// <summary>
/// Every page the app maps, found from its own endpoint table (so pages added later are covered too),
/// is refused to anonymous visitors and to every role its policy does not name — on the server.
/// </summary>
public sealed class RouteAuthorizationTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres);
        await TestUsers.CreateAllAsync(_app);
    }

    [Fact]
    public void ProtectedRoutes_IncludeEveryPageAndTheDashboard()
    {
        var routes = ProtectedRoutes().Select(r => r.Path).ToList();

        Assert.Contains("/", routes);
        Assert.Contains("/users", routes);
        Assert.Contains("/client-mapping", routes);
        Assert.Contains("/audit", routes);
        Assert.Contains("/hangfire", routes);
    }

    [Fact]
    public async Task EveryProtectedRoute_RedirectsToLogin_WhenVisitorIsAnonymous()
    {
        using var client = _app.CreateBrowserlikeClient();
        foreach (var (path, _) in ProtectedRoutes())
        {
            var response = await client.GetAsync(path.TrimStart('/'), TestContext.Current.CancellationToken);

            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{path} answered {(int)response.StatusCode} to an anonymous visitor");
            Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(TestUsers.Admin, Roles.Admin)]
    [InlineData(TestUsers.Technician, Roles.Technician)]
    [InlineData(TestUsers.Support, Roles.Support)]
    public async Task EveryProtectedRoute_IsRefused_WhenRoleIsNotAllowed(string email, string role)
    {
        using var client = _app.CreateBrowserlikeClient();
        await client.LoginAsync(email);
        foreach (var (path, allowed) in ProtectedRoutes())
        {
            var response = await client.GetAsync(path.TrimStart('/'), TestContext.Current.CancellationToken);

            if (allowed is null || allowed.Contains(role))
            {
                // A ticket page of a ticket that does not exist answers 404 to those who may open ticket pages.
                var opened = response.StatusCode == HttpStatusCode.OK || (path.StartsWith("/tickets/", StringComparison.Ordinal) && response.StatusCode == HttpStatusCode.NotFound);
                Assert.True(opened, $"{role} should open {path} but got {(int)response.StatusCode}");
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/Account/AccessDenied", StringComparison.Ordinal),
                    $"{role} must be refused {path} but got {(int)response.StatusCode} {response.Headers.Location}");
            }
        }
    }

    [Theory]
    [InlineData(TestUsers.Admin, true)]
    [InlineData(TestUsers.Support, false)]
    public async Task HangfireDashboard_AcceptsCommandsFromAdminOnly(string email, bool accepted)
    {
        using var client = _app.CreateBrowserlikeClient();
        await client.LoginAsync(email);

        var page = await client.GetAsync("hangfire/recurring", TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var header = System.Text.RegularExpressions.Regex.Match(html, "name=\"csrf-header\" content=\"([^\"]*)\"").Groups[1].Value;
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"csrf-token\" content=\"([^\"]*)\"").Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "hangfire/recurring/trigger")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = "ec:none" }),
        };
        if (header.Length > 0)
        {
            request.Headers.Add(header, token);
        }

        var command = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(command.IsSuccessStatusCode == accepted, $"{email}: the dashboard answered {(int)command.StatusCode} to a command");
    }

    /// <summary>GET pages and the dashboard, each with the roles its policy allows (null: any logged-in user).</summary>
    private List<(string Path, IReadOnlyList<string>? Allowed)> ProtectedRoutes()
    {
        var policies = _app.Services.GetRequiredService<IOptions<AuthorizationOptions>>().Value;
        var endpoints = _app.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>();
        var routes = new List<(string, IReadOnlyList<string>?)>();
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var isPage = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null;
            var isDashboard = pattern.StartsWith("/hangfire", StringComparison.Ordinal);
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if ((!isPage && !isDashboard) || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
                || (methods is not null && !methods.Contains(HttpMethods.Get)))
            {
                continue;
            }

            var path = isDashboard ? "/hangfire" : string.Join('/', pattern.Split('/').Select(s => s.StartsWith('{') ? "1" : s));
            var roles = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .Select(a => a.Policy is null ? a.Roles?.Split(',') : policies.GetPolicy(a.Policy)!.Requirements.OfType<RolesAuthorizationRequirement>().SingleOrDefault()?.AllowedRoles.ToArray())
                .FirstOrDefault(r => r is not null);
            routes.Add((path, roles));
        }

        return routes.DistinctBy(r => r.Item1).ToList();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
