using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>The ticket sync's part in the instance-change clean-up.</summary>
public abstract class TicketSyncDataSuite(PostgresServer postgres, TicketSuitePsa psa) : TicketSuite(postgres, psa)
{
    [Fact]
    public async Task DeleteBatchAsync_RemovesEveryTicketRowOfTheConnection_BatchByBatch_AndNoOtherConnectionsRows()
    {
        for (var i = 0; i < 3; i++)
        {
            var ticket = Portal.AddTicket($"Clean {i}", "Gone soon.", clusterId: $"CL-{i + 40:000000}");
            Portal.AddComment(ticket.Id, $"comment {i}");
        }

        await H.RunAsync();
        var other = Guid.NewGuid();
        await using (var db = H.Db())
        {
            db.TicketLinks.Add(new TicketLink { ConnectionId = other, PortalConnectionId = Guid.NewGuid(), PortalTicketId = "1", PortalStatus = "new" });
            await db.SaveChangesAsync(Ct);
        }

        var data = new TicketSyncData(new Factory(H.ConnectionString));
        var before = await data.CountAsync(H.ConnectionId, Ct);
        long deleted = 0;
        long batch;
        var batches = 0;
        do
        {
            batch = await data.DeleteBatchAsync(H.ConnectionId, 4, Ct);
            Assert.True(batch <= 4);
            deleted += batch;
            batches++;
        }
        while (batch > 0);

        Assert.True(before > 10, $"{before} rows");
        Assert.Equal(before, deleted);
        Assert.True(batches > 3);
        Assert.Equal(0, await data.CountAsync(H.ConnectionId, Ct));
        await using var check = H.Db();
        Assert.Equal(1, await check.TicketLinks.CountAsync(l => l.ConnectionId == other, Ct));
    }

    private sealed class Factory(string connectionString) : IDbContextFactory<EasyConnect.Sync.Persistence.EasyConnectDbContext>
    {
        public EasyConnect.Sync.Persistence.EasyConnectDbContext CreateDbContext() => PostgresServer.CreateContext(connectionString);
    }
}
