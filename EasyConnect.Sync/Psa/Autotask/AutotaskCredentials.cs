using EasyConnect.Sync.Http;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>What authenticates one Autotask connection. <see cref="ToString"/> never shows the secret or the integration code.</summary>
/// <param name="UserName">The API-only resource's user name; it also finds the zone.</param>
/// <param name="Secret">The API user's secret.</param>
/// <param name="IntegrationCode">The integration's API tracking identifier.</param>
/// <param name="ImpersonationResourceId">The resource to act as, when writes should appear as someone else's.</param>
public sealed record AutotaskCredentials(string UserName, string Secret, string IntegrationCode, string? ImpersonationResourceId = null)
{
    /// <summary>The setting naming the resource to impersonate (optional).</summary>
    public const string ImpersonationSetting = "impersonationResourceId";

    /// <summary>The instance these credentials reach: an API-only user belongs to exactly one Autotask database.</summary>
    public PsaInstanceIdentity Identity => AutotaskProduct.Description.Identify(new Dictionary<string, string> { [AutotaskProduct.UserName] = UserName });

    /// <summary>The key the zone of this user is cached under.</summary>
    internal string ZoneKey => UserName.Trim().ToLowerInvariant();

    /// <inheritdoc />
    public override string ToString() => $"Autotask user {UserName} (secret and integration code hidden)";

    /// <summary>Reads the credentials from a connection's settings (names as in <see cref="AutotaskProduct"/>).</summary>
    public static AutotaskCredentials FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string Get(string name) => settings.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v)
            ? v.Trim()
            : throw new PsaException(RemoteErrorKind.ValidationFailed, $"The Autotask setting \"{name}\" is empty.", name);
        var impersonation = settings.TryGetValue(ImpersonationSetting, out var i) && !string.IsNullOrWhiteSpace(i) ? i.Trim() : null;
        if (impersonation is not null && !long.TryParse(impersonation, out _))
        {
            throw new PsaException(RemoteErrorKind.ValidationFailed, $"The Autotask setting \"{ImpersonationSetting}\" must be a resource id (a number).", ImpersonationSetting);
        }

        return new(Get(AutotaskProduct.UserName), Get(AutotaskProduct.Secret), Get(AutotaskProduct.IntegrationCode), impersonation);
    }
}
