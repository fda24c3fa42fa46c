using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Sandbox.Halo;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Sandbox.Halo;

/// <summary>The HaloPSA sandbox on loopback, with the contract view of it and clients that fetch a token the way a Halo client does.</summary>
internal sealed class HaloSandboxHost : IAsyncDisposable
{
    public const string Prefix = "/sandbox/halo";

    private HaloSandboxHost(SandboxServer server)
    {
        Server = server;
        State = server.Services.GetRequiredService<HaloSandboxState>();
        Sandbox = new HaloPsaSandbox(State, Root);
    }

    public SandboxServer Server { get; }

    public HaloSandboxState State { get; }

    public HaloPsaSandbox Sandbox { get; }

    /// <summary>The instance's address: the auth server is <c>auth/</c> and the API <c>api/</c> under it.</summary>
    public Uri Root => new(Server.BaseAddress, Prefix.TrimStart('/') + "/");

    public static async Task<HaloSandboxHost> StartAsync(Action<HaloSandboxOptions>? sandbox = null, TimeProvider? time = null)
    {
        var server = await SandboxServer.StartAsync(
            services =>
            {
                if (time is not null)
                {
                    services.AddSingleton(time);
                }

                services.AddEasyConnectHaloSandbox(o =>
                {
                    o.SeedEpoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
                    sandbox?.Invoke(o);
                });
            },
            app => app.MapHaloSandbox(Prefix));
        return new HaloSandboxHost(server);
    }

    /// <summary>Asks the auth server for a token with a form-encoded client-credentials grant; answers the raw response.</summary>
    public async Task<HttpResponseMessage> RequestTokenAsync(string? clientSecret = null, string? tenant = null, string scope = "all")
    {
        using var http = new HttpClient { BaseAddress = Root };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = State.Options.ClientId,
            ["client_secret"] = clientSecret ?? State.Options.ClientSecret,
            ["scope"] = scope,
        });
        return await http.PostAsync("auth/token" + (tenant is null ? "" : "?tenant=" + Uri.EscapeDataString(tenant)), form, TestContext.Current.CancellationToken);
    }

    /// <summary>A client on the API root (<c>api/</c>) carrying a fresh bearer token of <paramref name="scope"/>.</summary>
    public async Task<HttpClient> ClientAsync(string scope = "all")
    {
        using var response = await RequestTokenAsync(tenant: State.Options.Tenant.Length > 0 ? State.Options.Tenant : null, scope: scope);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["access_token"]!.GetValue<string>();
        return Client(token);
    }

    /// <summary>A client on the API root carrying <paramref name="token"/>.</summary>
    public HttpClient Client(string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(Root, "api/"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http;
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
