using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Tests.Support;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Jobs;

/// <summary>
/// Two EasyConnect hosts in one process (the browser tests run several at once; a deployment may host a UI and a worker together)
/// each run their own jobs with their own services and database: Hangfire's process-wide defaults must not leak between them.
/// </summary>
public sealed class JobsIsolationTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _first = default!;
    private EasyConnectApp _second = default!;

    public async ValueTask InitializeAsync()
    {
        var started = await Task.WhenAll(EasyConnectApp.StartAsync(postgres), EasyConnectApp.StartAsync(postgres));
        (_first, _second) = (started[0], started[1]);
    }

    [Fact]
    public async Task EachHost_RunsTheJobsItQueued_WithItsOwnServices()
    {
        // A full sync of a connection that does not exist records a failed run in the database of whichever host's services ran it.
        var first = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        var second = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        foreach (var (app, ids) in new[] { (_first, first), (_second, second) })
        {
            var jobs = app.Services.GetRequiredService<IBackgroundJobClient>();
            foreach (var id in ids)
            {
                jobs.Enqueue<PsaFullSyncJob>(j => j.RunAsync(id, SyncTrigger.Manual, "tests", null, CancellationToken.None));
            }
        }

        Assert.Equal(first.Order(), await RunConnectionsAsync(_first, 3));
        Assert.Equal(second.Order(), await RunConnectionsAsync(_second, 3));
    }

    private static async Task<List<Guid>> RunConnectionsAsync(EasyConnectApp app, int expected)
    {
        List<Guid> seen = [];
        for (var i = 0; i < 600 && seen.Count < expected; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            await using var db = PostgresServer.CreateContext(app.ConnectionString);
            seen = await db.SyncRuns.Where(r => r.Status == SyncRunStatus.Failed).Select(r => r.ConnectionId).ToListAsync(TestContext.Current.CancellationToken);
        }

        // A moment more, so runs that went to the wrong host have time to show up too.
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        await using var last = PostgresServer.CreateContext(app.ConnectionString);
        return (await last.SyncRuns.Select(r => r.ConnectionId).ToListAsync(TestContext.Current.CancellationToken)).Order().ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }
}
