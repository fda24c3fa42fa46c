using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EasyConnect.Sync.Connections;

internal sealed class PsaConnectionConfiguration : IEntityTypeConfiguration<PsaConnection>
{
    public void Configure(EntityTypeBuilder<PsaConnection> builder)
    {
        builder.ToTable("psa_connections");
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.InstanceKey).HasMaxLength(PsaConnection.InstanceKeyMaxLength);
        builder.Property(c => c.DisplayName).HasMaxLength(PsaConnection.DisplayNameMaxLength);
        builder.Property(c => c.CreatedBy).HasMaxLength(256);
        builder.Property(c => c.SettingsJson).HasColumnType("jsonb");
        builder.Ignore(c => c.Settings);
        // At most one active connection: the database refuses a second one even if two admins race.
        builder.HasIndex(c => c.State).IsUnique().HasFilter("state = 'Active'").HasDatabaseName("ix_psa_connections_one_active");
    }
}
