using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EasyConnect.Sync.Mappings;

/// <summary>How a mapping was made.</summary>
public enum MappingMethod
{
    /// <summary>By the auto-map, because the user's email is one of the member's emails.</summary>
    Email,

    /// <summary>Chosen by a person.</summary>
    Manual,
}

/// <summary>
/// Which PSA member an EasyConnect user is, on one PSA connection: notes written for the user's portal
/// comments are attributed to that member. Keyed by connection, so a new PSA instance starts unmapped.
/// </summary>
public sealed class PsaUserMapping
{
    public long Id { get; set; }

    public Guid ConnectionId { get; set; }

    /// <summary>The EasyConnect user (<c>users.id</c>).</summary>
    public string UserId { get; set; } = "";

    /// <summary>The PSA member's id in the mirror.</summary>
    public string MemberPsaId { get; set; } = "";

    public MappingMethod Method { get; set; }

    public DateTimeOffset MappedAt { get; set; }

    public string MappedBy { get; set; } = "";
}

internal sealed class PsaUserMappingConfiguration : IEntityTypeConfiguration<PsaUserMapping>
{
    public void Configure(EntityTypeBuilder<PsaUserMapping> builder)
    {
        builder.ToTable("psa_user_mappings");
        builder.Property(m => m.Method).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.MappedBy).HasMaxLength(256);
        builder.HasIndex(m => new { m.ConnectionId, m.UserId }).IsUnique();
        // One member, one user: the database refuses a second mapping even when two technicians race.
        builder.HasIndex(m => new { m.ConnectionId, m.MemberPsaId }).IsUnique();
    }
}
