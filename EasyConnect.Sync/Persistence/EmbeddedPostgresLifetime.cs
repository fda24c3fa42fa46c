using EasyConnect.Sync.Persistence.Embedded;
using Microsoft.Extensions.Hosting;

namespace EasyConnect.Sync.Persistence;

/// <summary>Stops the embedded cluster after the host has stopped everything that uses it.</summary>
internal sealed class EmbeddedPostgresLifetime(EmbeddedPostgres server, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopped.Register(() => server.StopAsync().GetAwaiter().GetResult());
        // A process killed by SIGTERM outside the host's control still stops its server.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.StopAsync().GetAwaiter().GetResult();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
