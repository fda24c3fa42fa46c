using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Notifications;
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

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(EasyConnectDbContext).Assembly);
    }
}
