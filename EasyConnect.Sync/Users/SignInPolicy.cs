using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EasyConnect.Sync.Users;

/// <summary>Who must sign in with a second factor (an authenticator app's code or a recovery code).</summary>
public enum TwoFactorRequirement
{
    /// <summary>Everyone may turn two-factor sign-in on for themselves; nobody must.</summary>
    Optional,

    /// <summary>Administrators must: they hold the PSA's and the portal's keys.</summary>
    Administrators,

    /// <summary>Every user must.</summary>
    Everyone,
}

/// <summary>The installation's sign-in rules; one row.</summary>
public sealed class SignInSettings
{
    /// <summary>Always 1: there is one row.</summary>
    public int Id { get; set; } = 1;

    /// <summary>Who must use two-factor sign-in.</summary>
    public TwoFactorRequirement TwoFactor { get; set; }

    /// <summary>When it was last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who changed it last.</summary>
    public string UpdatedBy { get; set; } = "";
}

internal sealed class SignInSettingsConfiguration : IEntityTypeConfiguration<SignInSettings>
{
    public void Configure(EntityTypeBuilder<SignInSettings> builder)
    {
        builder.ToTable("sign_in_settings");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.TwoFactor).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.UpdatedBy).HasMaxLength(256);
    }
}

/// <summary>Reads and changes the sign-in rules (Users page), and answers whether a user must set up two-factor sign-in.</summary>
public sealed class SignInPolicy(IDbContextFactory<EasyConnectDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    /// <summary>Who must use two-factor sign-in.</summary>
    public async Task<TwoFactorRequirement> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SignInSettings.AsNoTracking().Select(s => (TwoFactorRequirement?)s.TwoFactor).SingleOrDefaultAsync(cancellationToken) ?? TwoFactorRequirement.Optional;
    }

    /// <summary>Changes who must use two-factor sign-in; audited.</summary>
    public async Task SetAsync(TwoFactorRequirement requirement, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.SignInSettings.SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            row = new SignInSettings();
            db.SignInSettings.Add(row);
        }

        var before = row.TwoFactor;
        row.TwoFactor = requirement;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedBy = actor;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor, "Two-factor sign-in requirement changed", "sign-in", $"{Describe(before)} → {Describe(requirement)}", cancellationToken);
    }

    /// <summary>Whether someone with <paramref name="roles"/> must use two-factor sign-in under the stored rules.</summary>
    public async Task<bool> RequiresTwoFactorAsync(IEnumerable<string> roles, CancellationToken cancellationToken = default) =>
        Requires(await GetAsync(cancellationToken), roles);

    /// <summary>Whether someone with <paramref name="roles"/> must use two-factor sign-in under <paramref name="requirement"/>.</summary>
    public static bool Requires(TwoFactorRequirement requirement, IEnumerable<string> roles) => requirement switch
    {
        TwoFactorRequirement.Everyone => true,
        TwoFactorRequirement.Administrators => roles.Contains(Roles.Admin, StringComparer.Ordinal),
        _ => false,
    };

    /// <summary>The requirement in words.</summary>
    public static string Describe(TwoFactorRequirement requirement) => requirement switch
    {
        TwoFactorRequirement.Administrators => "required for administrators",
        TwoFactorRequirement.Everyone => "required for everyone",
        _ => "optional",
    };
}
