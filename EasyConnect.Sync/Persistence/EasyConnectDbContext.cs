using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Notifications;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Persistence;

/// <summary>
/// The one database of EasyConnect: its own tables, ASP.NET Identity and the Data Protection keys.
/// Hangfire keeps its tables in the schema <c>hangfire</c> of the same database.
/// </summary>
public sealed class EasyConnectDbContext(DbContextOptions<EasyConnectDbContext> options)
    : IdentityDbContext<AppUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    /// <inheritdoc />
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Who changed which setting.</summary>
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>PSA connections, current and past.</summary>
    public DbSet<PsaConnection> PsaConnections => Set<PsaConnection>();

    /// <summary>Messages shown under the bell in the app bar.</summary>
    public DbSet<Notification> Notifications => Set<Notification>();

    /// <summary>Which PSA member each user is, per connection.</summary>
    public DbSet<Mappings.PsaUserMapping> PsaUserMappings => Set<Mappings.PsaUserMapping>();

    /// <summary>ClusterIDs tied to a PSA configuration by hand, per connection.</summary>
    public DbSet<Mappings.ClientMappingOverride> ClientMappingOverrides => Set<Mappings.ClientMappingOverride>();

    /// <summary>The Support Portal connection, current and past.</summary>
    public DbSet<Portal.PortalConnection> PortalConnections => Set<Portal.PortalConnection>();

    /// <summary>Advanced Settings per PSA connection.</summary>
    public DbSet<Settings.AdvancedSettings> AdvancedSettings => Set<Settings.AdvancedSettings>();

    /// <summary>Runs of the PSA mirror.</summary>
    public DbSet<Runs.SyncRun> SyncRuns => Set<Runs.SyncRun>();

    /// <summary>Where each connection's incremental mirror of each entity stands.</summary>
    public DbSet<PsaSync.SyncCursor> SyncCursors => Set<PsaSync.SyncCursor>();

    /// <summary>Mirrored PSA members.</summary>
    public DbSet<PsaSync.MirroredMember> PsaMembers => Set<PsaSync.MirroredMember>();

    /// <summary>Mirrored PSA companies.</summary>
    public DbSet<PsaSync.MirroredCompany> PsaCompanies => Set<PsaSync.MirroredCompany>();

    /// <summary>Mirrored PSA configurations.</summary>
    public DbSet<PsaSync.MirroredConfiguration> PsaConfigurations => Set<PsaSync.MirroredConfiguration>();

    /// <summary>Mirrored PSA service boards.</summary>
    public DbSet<PsaSync.MirroredBoard> PsaBoards => Set<PsaSync.MirroredBoard>();

    /// <summary>Mirrored PSA ticket statuses.</summary>
    public DbSet<PsaSync.MirroredStatus> PsaStatuses => Set<PsaSync.MirroredStatus>();

    /// <summary>Mirrored PSA ticket priorities.</summary>
    public DbSet<PsaSync.MirroredPriority> PsaPriorities => Set<PsaSync.MirroredPriority>();

    /// <summary>Mirrored PSA service tickets.</summary>
    public DbSet<PsaSync.MirroredTicket> PsaTickets => Set<PsaSync.MirroredTicket>();

    /// <summary>Portal tickets and the PSA tickets kept in sync with them.</summary>
    public DbSet<Tickets.TicketLink> TicketLinks => Set<Tickets.TicketLink>();

    /// <summary>Portal comments and the PSA notes that carry them, and the other way round.</summary>
    public DbSet<Tickets.NoteLink> NoteLinks => Set<Tickets.NoteLink>();

    /// <summary>Remote writes recorded before they are made, reconciled after.</summary>
    public DbSet<Tickets.SyncIntent> SyncIntents => Set<Tickets.SyncIntent>();

    /// <summary>Each ticket's history: what moved, which way, when.</summary>
    public DbSet<Tickets.TicketLedgerEntry> TicketLedger => Set<Tickets.TicketLedgerEntry>();

    /// <summary>Where each connection's ticket sync resumes on the portal and the PSA.</summary>
    public DbSet<Tickets.TicketSyncCursor> TicketSyncCursors => Set<Tickets.TicketSyncCursor>();

    /// <summary>The installation's sign-in rules (one row).</summary>
    public DbSet<Users.SignInSettings> SignInSettings => Set<Users.SignInSettings>();

    /// <summary>Where alerts go (one row).</summary>
    public DbSet<Alerts.AlertSettings> AlertSettings => Set<Alerts.AlertSettings>();

    /// <summary>Alerts sent or waiting for the daily digest.</summary>
    public DbSet<Alerts.AlertEvent> AlertEvents => Set<Alerts.AlertEvent>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(EasyConnectDbContext).Assembly);
    }
}
