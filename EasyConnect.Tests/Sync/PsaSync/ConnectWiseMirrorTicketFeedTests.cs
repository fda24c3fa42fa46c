using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Tickets;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>The mirror ticket feed against ConnectWise, through its sandbox and the real ConnectWise client.</summary>
public sealed class ConnectWiseMirrorTicketFeedTests(PostgresServer postgres) : MirrorTicketFeedSuite(postgres, TicketSuitePsa.ConnectWise)
{
    private protected override string TicketListPath => "/service/tickets";
}
