using EasyConnect.Sync.Sandbox;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Tickets;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>The mirror ticket feed against HaloPSA, through its sandbox and the real Halo client.</summary>
public sealed class HaloMirrorTicketFeedTests(PostgresServer postgres) : MirrorTicketFeedSuite(postgres, TicketSuitePsa.Halo)
{
    private protected override string TicketListPath => "/api/Tickets";

    // Halo's request log keeps the query, and GET /api/Tickets/{id} reads one ticket: a list is the path followed by its query.
    private protected override bool ListsTickets(SandboxRequest request) =>
        request.Method == "GET" && request.Path.Contains(TicketListPath + "?", StringComparison.Ordinal);
}
