using EasyConnect.Sync.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EasyConnect.Sync.Portal;

/// <summary>The Support Portal (Zendesk API) connection. At most one is active; its token is encrypted at rest.</summary>
public sealed class PortalConnection
{
    /// <summary>Longest portal address.</summary>
    public const int BaseUrlMaxLength = 400;

    /// <summary>Longest agent email.</summary>
    public const int EmailMaxLength = 256;

    /// <summary>Longest API token (not a column limit: the token is stored encrypted, but no real token comes near it).</summary>
    public const int ApiTokenMaxLength = 400;

    public Guid Id { get; set; }

    /// <summary>The portal's address, such as https://acme.zendesk.com.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The agent's email the API token belongs to.</summary>
    public string Email { get; set; } = "";

    /// <summary>The API token as a Data Protection payload; null once disconnected.</summary>
    public string? ProtectedToken { get; set; }

    /// <summary>The id of the custom ticket field that holds the ClusterID.</summary>
    public long ClusterIdFieldId { get; set; }

    public ConnectionState State { get; set; }

    /// <summary>Where the portal-side incremental export resumes (the portal's own cursor).</summary>
    public string? ExportCursor { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset? DisconnectedAt { get; set; }
}

internal sealed class PortalConnectionConfiguration : IEntityTypeConfiguration<PortalConnection>
{
    public void Configure(EntityTypeBuilder<PortalConnection> builder)
    {
        builder.ToTable("portal_connections");
        builder.Property(c => c.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.BaseUrl).HasMaxLength(PortalConnection.BaseUrlMaxLength);
        builder.Property(c => c.Email).HasMaxLength(PortalConnection.EmailMaxLength);
        builder.Property(c => c.CreatedBy).HasMaxLength(256);
        builder.HasIndex(c => c.State).IsUnique().HasFilter("state = 'Active'").HasDatabaseName("ix_portal_connections_one_active");
    }
}
