using System.Net.Http.Headers;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Autotask;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Psa.Autotask;

/// <summary>The Autotask sandbox on loopback, with an HttpClient that sends the three auth headers to its zone.</summary>
internal sealed class AutotaskSandboxHost : IAsyncDisposable
{
    public const string Prefix = "/sandbox/autotask";

    private AutotaskSandboxHost(SandboxServer server)
    {
        Server = server;
        State = server.Services.GetRequiredService<AutotaskSandboxState>();
    }

    public SandboxServer Server { get; }

    public AutotaskSandboxState State { get; }

    public SandboxFaultInjector Faults => State.Faults;

    /// <summary>Where zone discovery is asked, as webservices.autotask.net is.</summary>
    public Uri DiscoveryRoot => new(Server.BaseAddress, Prefix.TrimStart('/') + "/ATServicesRest/");

    /// <summary>The zone's REST API root, ending in <c>V1.0/</c>.</summary>
    public Uri ApiRoot => new(Server.BaseAddress, $"{Prefix.TrimStart('/')}/{State.Options.Zone}/ATServicesRest/V1.0/");

    public static async Task<AutotaskSandboxHost> StartAsync(Action<AutotaskSandboxOptions>? sandbox = null, TimeProvider? time = null)
    {
        var server = await SandboxServer.StartAsync(
            services =>
            {
                if (time is not null)
                {
                    services.AddSingleton(time);
                }

                services.AddEasyConnectAutotaskSandbox(o =>
                {
                    o.SeedEpoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
                    sandbox?.Invoke(o);
                });
            },
            app => app.MapAutotaskSandbox(Prefix));
        return new AutotaskSandboxHost(server);
    }

    /// <summary>A client on the zone's API root with the given (by default the accepted) credentials.</summary>
    public HttpClient Client(string? userName = null, string? secret = null, string? integrationCode = null)
    {
        var http = new HttpClient { BaseAddress = ApiRoot, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("UserName", userName ?? State.Options.UserName);
        http.DefaultRequestHeaders.Add("Secret", secret ?? State.Options.Secret);
        http.DefaultRequestHeaders.Add("ApiIntegrationCode", integrationCode ?? State.Options.IntegrationCode);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http;
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
