using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Tickets;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>The mirror ticket feed against Autotask, through its sandbox and the real Autotask client.</summary>
public sealed class AutotaskMirrorTicketFeedTests(PostgresServer postgres) : MirrorTicketFeedSuite(postgres, TicketSuitePsa.Autotask)
{
    private protected override string TicketListPath => "/Tickets/query";
}
