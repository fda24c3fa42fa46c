using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.PsaSync;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Tickets;

public sealed class TicketSyncJobsTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(5, "*/5 * * * *")]
    [InlineData(1, "* * * * *")]
    [InlineData(15, "*/15 * * * *")]
    [InlineData(7, "*/6 * * * *")]
    [InlineData(60, "0 * * * *")]
    [InlineData(120, "0 */2 * * *")]
    [InlineData(1440, "0 0 * * *")]
    public void Cron_RunsEveryInterval_OrTheNearestOneCronCanSay(int minutes, string cron) => Assert.Equal(cron, TicketSyncRecurringJobs.Cron(minutes));

    [Fact]
    public async Task GetRecurringJobsAsync_WantsTheTicketSync_OnlyWhileSwitchedOnAndBothSidesAreConnected()
    {
        var database = await postgres.CreateDatabaseAsync("ticketjobs");
        var factory = new PooledFactory(database);
        var source = new TicketSyncRecurringJobs(factory);
        var connection = await MirrorHarness.AddConnectionAsync(database);
        await using (var db = PostgresServer.CreateContext(database))
        {
            db.AdvancedSettings.Add(new AdvancedSettings { ConnectionId = connection, TicketSyncMinutes = 10, SyncEnabled = true });
            await db.SaveChangesAsync(Ct);
        }

        Assert.Empty(await source.GetRecurringJobsAsync(Ct));

        await using (var db = PostgresServer.CreateContext(database))
        {
            db.PortalConnections.Add(new PortalConnection { Id = Guid.NewGuid(), BaseUrl = "https://acme.zendesk.com", State = ConnectionState.Active, CreatedBy = "tests" });
            await db.SaveChangesAsync(Ct);
        }

        var job = Assert.Single(await source.GetRecurringJobsAsync(Ct));
        Assert.Equal(TicketSyncRecurringJobs.JobId(connection), job.Id);
        Assert.Equal("*/10 * * * *", job.Cron);

        await using (var db = PostgresServer.CreateContext(database))
        {
            await db.AdvancedSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.SyncEnabled, false), Ct);
        }

        Assert.Empty(await source.GetRecurringJobsAsync(Ct));
    }

    private sealed class PooledFactory(string connectionString) : IDbContextFactory<EasyConnect.Sync.Persistence.EasyConnectDbContext>
    {
        public EasyConnect.Sync.Persistence.EasyConnectDbContext CreateDbContext() => PostgresServer.CreateContext(connectionString);
    }
}
