using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Runs;
using Hangfire;

namespace EasyConnect.Sync.PsaSync;

/// <summary>A new connection's first sync is a full one, started at once rather than at the next schedule.</summary>
internal sealed class FirstFullSync(IBackgroundJobClient jobs) : IPsaConnectionListener
{
    public Task OnConnectedAsync(PsaConnection connection, string actor, CancellationToken cancellationToken)
    {
        jobs.Enqueue<PsaFullSyncJob>(j => j.RunAsync(connection.Id, SyncTrigger.Manual, actor, null, CancellationToken.None));
        return Task.CompletedTask;
    }
}
