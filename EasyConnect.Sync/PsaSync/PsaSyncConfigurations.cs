using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EasyConnect.Sync.PsaSync;

internal static class MirroredRowConfiguration
{
    /// <summary>The part every mirror table shares; expression and GIN indexes are in the migration (EF cannot model them).</summary>
    public static void Configure<T>(EntityTypeBuilder<T> builder, string table) where T : MirroredRow
    {
        builder.ToTable(table);
        builder.HasKey(r => new { r.ConnectionId, r.PsaId });
        builder.Property(r => r.PsaId).HasMaxLength(64);
        builder.Property(r => r.Raw).HasColumnType("jsonb");
        // The full run's delete and the cleanup look rows up by connection and run.
        builder.HasIndex(r => new { r.ConnectionId, r.SeenRunId });
        builder.HasIndex(r => new { r.ConnectionId, r.LastModified });
    }
}

internal sealed class MirroredMemberConfiguration : IEntityTypeConfiguration<MirroredMember>
{
    public void Configure(EntityTypeBuilder<MirroredMember> builder)
    {
        MirroredRowConfiguration.Configure(builder, MirrorTables.Members.Table);
        builder.HasIndex(m => new { m.ConnectionId, m.PrimaryEmail });
        builder.HasIndex(m => m.Emails).HasMethod("gin");
    }
}

internal sealed class MirroredCompanyConfiguration : IEntityTypeConfiguration<MirroredCompany>
{
    public void Configure(EntityTypeBuilder<MirroredCompany> builder)
    {
        MirroredRowConfiguration.Configure(builder, MirrorTables.Companies.Table);
        builder.HasIndex(c => new { c.ConnectionId, c.Identifier });
    }
}

internal sealed class MirroredConfigurationConfiguration : IEntityTypeConfiguration<MirroredConfiguration>
{
    public void Configure(EntityTypeBuilder<MirroredConfiguration> builder)
    {
        MirroredRowConfiguration.Configure(builder, MirrorTables.Configurations.Table);
        builder.Property(c => c.CustomFields).HasColumnType("jsonb");
        builder.HasIndex(c => new { c.ConnectionId, c.SerialNumber });
        builder.HasIndex(c => new { c.ConnectionId, c.CompanyId });
    }
}

internal sealed class MirroredBoardConfiguration : IEntityTypeConfiguration<MirroredBoard>
{
    public void Configure(EntityTypeBuilder<MirroredBoard> builder) => MirroredRowConfiguration.Configure(builder, MirrorTables.Boards.Table);
}

internal sealed class MirroredStatusConfiguration : IEntityTypeConfiguration<MirroredStatus>
{
    public void Configure(EntityTypeBuilder<MirroredStatus> builder)
    {
        MirroredRowConfiguration.Configure(builder, MirrorTables.Statuses.Table);
        builder.HasIndex(s => new { s.ConnectionId, s.ScopeId });
    }
}

internal sealed class MirroredPriorityConfiguration : IEntityTypeConfiguration<MirroredPriority>
{
    public void Configure(EntityTypeBuilder<MirroredPriority> builder)
    {
        MirroredRowConfiguration.Configure(builder, MirrorTables.Priorities.Table);
        builder.HasIndex(p => new { p.ConnectionId, p.ScopeId });
    }
}

internal sealed class MirroredTicketConfiguration : IEntityTypeConfiguration<MirroredTicket>
{
    public void Configure(EntityTypeBuilder<MirroredTicket> builder)
    {
        MirroredRowConfiguration.Configure(builder, MirrorTables.Tickets.Table);
        builder.HasIndex(t => new { t.ConnectionId, t.ExternalRef });
    }
}

internal sealed class SyncCursorConfiguration : IEntityTypeConfiguration<SyncCursor>
{
    public void Configure(EntityTypeBuilder<SyncCursor> builder)
    {
        builder.ToTable("psa_sync_cursors");
        builder.HasKey(c => new { c.ConnectionId, c.Entity });
        builder.Property(c => c.Entity).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.LastId).HasMaxLength(64);
    }
}

internal sealed class SyncRunConfiguration : IEntityTypeConfiguration<SyncRun>
{
    public void Configure(EntityTypeBuilder<SyncRun> builder)
    {
        builder.ToTable("sync_runs");
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Trigger).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.FailureCause).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.StartedBy).HasMaxLength(256);
        builder.Property(r => r.EntitiesJson).HasColumnType("jsonb");
        builder.Ignore(r => r.Entities);
        builder.HasIndex(r => new { r.ConnectionId, r.StartedAt });
        builder.HasIndex(r => r.StartedAt);
    }
}
