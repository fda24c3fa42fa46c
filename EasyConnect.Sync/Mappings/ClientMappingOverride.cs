using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EasyConnect.Sync.Mappings;

/// <summary>
/// A ClusterID that a person tied to a PSA configuration by hand, on one PSA connection. The ticket sync consults it before it
/// compares the ClusterID with the configurations' identifying field. Keyed by connection, so a new PSA instance starts without any.
/// </summary>
public sealed class ClientMappingOverride
{
    /// <summary>Longest ClusterID, as ticket links store it too.</summary>
    public const int ClusterIdMaxLength = 200;

    /// <summary>Longest PSA id.</summary>
    public const int PsaIdMaxLength = 64;

    public long Id { get; set; }

    public Guid ConnectionId { get; set; }

    /// <summary>The ClusterID as the portal ticket carries it (trimmed).</summary>
    public string ClusterId { get; set; } = "";

    /// <summary>The PSA configuration's id in the mirror.</summary>
    public string ConfigurationPsaId { get; set; } = "";

    public DateTimeOffset MappedAt { get; set; }

    public string MappedBy { get; set; } = "";
}

internal sealed class ClientMappingOverrideConfiguration : IEntityTypeConfiguration<ClientMappingOverride>
{
    public void Configure(EntityTypeBuilder<ClientMappingOverride> builder)
    {
        builder.ToTable("client_mapping_overrides");
        builder.Property(o => o.ClusterId).HasMaxLength(ClientMappingOverride.ClusterIdMaxLength);
        builder.Property(o => o.ConfigurationPsaId).HasMaxLength(ClientMappingOverride.PsaIdMaxLength);
        builder.Property(o => o.MappedBy).HasMaxLength(256);
        // One ClusterID, one configuration: a second choice replaces the first rather than competing with it.
        builder.HasIndex(o => new { o.ConnectionId, o.ClusterId }).IsUnique();
    }
}
