using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

// The ticket-engine suite against Halo: each class runs one part of the suite through the Halo sandbox and the real
// Halo client.

public sealed class HaloTicketSyncEngineTests(PostgresServer postgres) : TicketSyncEngineSuite(postgres, TicketSuitePsa.Halo);

public sealed class HaloTicketSyncConvergenceTests(PostgresServer postgres) : TicketSyncConvergenceSuite(postgres, TicketSuitePsa.Halo);

public sealed class HaloTicketSyncLostAnswerTests(PostgresServer postgres) : TicketSyncLostAnswerSuite(postgres, TicketSuitePsa.Halo);

public sealed class HaloTicketSyncPortalRulesTests(PostgresServer postgres) : TicketSyncPortalRulesSuite(postgres, TicketSuitePsa.Halo);

public sealed class HaloTicketSyncPortalReachTests(PostgresServer postgres) : TicketSyncPortalReachSuite(postgres, TicketSuitePsa.Halo);

public sealed class HaloTicketSyncDataTests(PostgresServer postgres) : TicketSyncDataSuite(postgres, TicketSuitePsa.Halo);

public sealed class HaloTicketLookupsTests(PostgresServer postgres) : TicketLookupsSuite(postgres, TicketSuitePsa.Halo);

public sealed class HaloTicketSyncDescriptionTests(PostgresServer postgres) : TicketSyncDescriptionSuite(postgres, TicketSuitePsa.Halo);

public sealed class HaloTicketSyncQuietRunTests(PostgresServer postgres) : TicketSyncQuietRunSuite(postgres, TicketSuitePsa.Halo);
