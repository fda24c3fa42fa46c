using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EasyConnect.Sync.Budget;

/// <summary>Calls one connection reserved in one time bucket, by every EasyConnect process together.</summary>
public sealed class ApiBudgetBucket
{
    /// <summary>The connection (its id, "N" format).</summary>
    public required string ConnectionKey { get; set; }

    /// <summary>The start of the bucket (UTC).</summary>
    public DateTimeOffset BucketStart { get; set; }

    /// <summary>Calls reserved in it.</summary>
    public int Calls { get; set; }
}

/// <summary>EasyConnect's share of a connection's PSA budget, set by an admin.</summary>
public sealed class ApiBudgetShare
{
    /// <summary>The connection (its id, "N" format).</summary>
    public required string ConnectionKey { get; set; }

    /// <summary>The share, in percent of the PSA's budget.</summary>
    public int SharePercent { get; set; }

    /// <summary>When it was set.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who set it.</summary>
    public required string UpdatedBy { get; set; }
}

internal sealed class ApiBudgetBucketConfiguration : IEntityTypeConfiguration<ApiBudgetBucket>
{
    public void Configure(EntityTypeBuilder<ApiBudgetBucket> builder)
    {
        builder.ToTable("api_budget_buckets");
        builder.HasKey(b => new { b.ConnectionKey, b.BucketStart });
        builder.Property(b => b.ConnectionKey).HasMaxLength(64);
    }
}

internal sealed class ApiBudgetShareConfiguration : IEntityTypeConfiguration<ApiBudgetShare>
{
    public void Configure(EntityTypeBuilder<ApiBudgetShare> builder)
    {
        builder.ToTable("api_budget_shares");
        builder.HasKey(s => s.ConnectionKey);
        builder.Property(s => s.ConnectionKey).HasMaxLength(64);
        builder.Property(s => s.UpdatedBy).HasMaxLength(256);
    }
}
