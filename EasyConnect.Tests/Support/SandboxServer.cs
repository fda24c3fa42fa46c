using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Tests.Support;

/// <summary>A sandbox (or any minimal endpoints) on a real loopback Kestrel port, so clients are tested over real HTTP.</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's root, e.g. http://127.0.0.1:41234/ (ends with a slash).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The server's services, to reach sandbox state.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Builds, maps and starts the server on a free loopback port.</summary>
    public static async Task<SandboxServer> StartAsync(Action<IServiceCollection> services, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        services(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
