using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

// The ticket-engine suite against Autotask: each class runs one part of the suite through the Autotask sandbox and the real
// Autotask client.

public sealed class AutotaskTicketSyncEngineTests(PostgresServer postgres) : TicketSyncEngineSuite(postgres, TicketSuitePsa.Autotask);

public sealed class AutotaskTicketSyncConvergenceTests(PostgresServer postgres) : TicketSyncConvergenceSuite(postgres, TicketSuitePsa.Autotask);

public sealed class AutotaskTicketSyncLostAnswerTests(PostgresServer postgres) : TicketSyncLostAnswerSuite(postgres, TicketSuitePsa.Autotask);

public sealed class AutotaskTicketSyncPortalRulesTests(PostgresServer postgres) : TicketSyncPortalRulesSuite(postgres, TicketSuitePsa.Autotask);

public sealed class AutotaskTicketSyncPortalReachTests(PostgresServer postgres) : TicketSyncPortalReachSuite(postgres, TicketSuitePsa.Autotask);

public sealed class AutotaskTicketSyncDataTests(PostgresServer postgres) : TicketSyncDataSuite(postgres, TicketSuitePsa.Autotask);

public sealed class AutotaskTicketLookupsTests(PostgresServer postgres) : TicketLookupsSuite(postgres, TicketSuitePsa.Autotask);

public sealed class AutotaskTicketSyncDescriptionTests(PostgresServer postgres) : TicketSyncDescriptionSuite(postgres, TicketSuitePsa.Autotask);

public sealed class AutotaskTicketSyncQuietRunTests(PostgresServer postgres) : TicketSyncQuietRunSuite(postgres, TicketSuitePsa.Autotask);
