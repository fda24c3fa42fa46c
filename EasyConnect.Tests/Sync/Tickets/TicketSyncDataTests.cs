using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>The ticket sync's part in the instance-change clean-up.</summary>
public sealed class TicketSyncDataTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task DeleteBatchAsync_RemovesEveryTicketRowOfTheConnection_BatchByBatch_AndNoOtherConnectionsRows()
    {
        for (var i = 0; i < 3; i++)
        {
            var ticket = _h.Portal.State.AddTicket($"Clean {i}", "Gone soon.", clusterId: $"CL-{i + 40:000000}");
            _h.Portal.State.AddComment(ticket.Id, $"comment {i}");
        }

        await _h.RunAsync();
        var other = Guid.NewGuid();
        await using (var db = _h.Db())
        {
            db.TicketLinks.Add(new TicketLink { ConnectionId = other, PortalConnectionId = Guid.NewGuid(), PortalTicketId = "1", PortalStatus = "new" });
            await db.SaveChangesAsync(Ct);
        }

        var data = new TicketSyncData(new Factory(_h.ConnectionString));
        var before = await data.CountAsync(_h.ConnectionId, Ct);
        long deleted = 0;
        long batch;
        var batches = 0;
        do
        {
            batch = await data.DeleteBatchAsync(_h.ConnectionId, 4, Ct);
            Assert.True(batch <= 4);
            deleted += batch;
            batches++;
        }
        while (batch > 0);

        Assert.True(before > 10, $"{before} rows");
        Assert.Equal(before, deleted);
        Assert.True(batches > 3);
        Assert.Equal(0, await data.CountAsync(_h.ConnectionId, Ct));
        await using var check = _h.Db();
        Assert.Equal(1, await check.TicketLinks.CountAsync(l => l.ConnectionId == other, Ct));
    }

    private sealed class Factory(string connectionString) : IDbContextFactory<EasyConnect.Sync.Persistence.EasyConnectDbContext>
    {
        public EasyConnect.Sync.Persistence.EasyConnectDbContext CreateDbContext() => PostgresServer.CreateContext(connectionString);
    }
}
