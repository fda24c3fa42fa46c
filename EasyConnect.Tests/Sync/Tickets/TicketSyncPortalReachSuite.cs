using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>How far back the ticket sync reads the portal: the first run's reach, what the run says of it, and reaching further back.</summary>
public abstract class TicketSyncPortalReachSuite(PostgresServer postgres, TicketSuitePsa psa) : TicketSuite(postgres, psa)
{
    // The portal sandbox seeds its tickets months back (the harness fixes the seed's epoch), beyond the first run's one day.
    private protected override Task<TicketHarness> StartAsync() => StartAsync(null, portal: o => o.Tickets = 4);

    [Fact]
    public async Task RunAsync_SaysHowFarBackTheFirstRunReadAndHowToReachFurther_AndStoresIt()
    {
        // Arrange
        var fresh = Portal.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");

        // Act
        var first = await H.RunAsync();
        var second = await H.RunAsync();

        // Assert
        Assert.Contains("read the portal from the start", first.Message, StringComparison.Ordinal);
        Assert.Contains("Bring in older tickets", first.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("from the start", second.Message, StringComparison.Ordinal);
        await using var db = H.Db();
        Assert.Equal([fresh.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], await db.TicketLinks.Select(l => l.PortalTicketId).ToListAsync(Ct));
        var cursor = await db.TicketSyncCursors.SingleAsync(Ct);
        Assert.Equal(DateTimeOffset.UtcNow.AddDays(-1), cursor.PortalReadsFrom!.Value, TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task RunAsync_ReadsTheOlderPortalTickets_WhenAnAdminReachedFurtherBack()
    {
        // Arrange
        Portal.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");
        await H.RunAsync();
        var from = DateTimeOffset.UtcNow.AddDays(-400);
        await using (var db = H.Db())
        {
            // What Tickets → Bring in older tickets stores (LinkedTickets.ReachFurtherBackAsync).
            await db.TicketSyncCursors.ExecuteUpdateAsync(s => s.SetProperty(c => c.PortalCursor, (string?)null).SetProperty(c => c.PortalReadsFrom, from), Ct);
        }

        // Act
        var result = await H.RunAsync();

        // Assert
        Assert.Contains("read the portal from the start", result.Message, StringComparison.Ordinal);
        await using var check = H.Db();
        Assert.Equal(5, await check.TicketLinks.CountAsync(Ct));
        var cursor = await check.TicketSyncCursors.SingleAsync(Ct);
        Assert.NotNull(cursor.PortalCursor);
        Assert.Equal(from, cursor.PortalReadsFrom!.Value, TimeSpan.FromMilliseconds(1));
    }
}
