namespace EasyConnect.Sync.Psa.Halo;

/// <summary>What authenticates one HaloPSA connection. <see cref="ToString"/> never shows the client secret.</summary>
/// <param name="Address">The instance's address (https://acme.halopsa.com); the API is under /api and the auth server under /auth.</param>
/// <param name="Tenant">The tenant of a Halo-hosted instance, sent with the token request; empty for self-hosted ones.</param>
/// <param name="ClientId">The API application's client ID.</param>
/// <param name="ClientSecret">The API application's client secret.</param>
/// <param name="NoteOutcome">The action outcome EasyConnect's private notes are written with (tenants name it: "Private Note", "Internal Note").</param>
public sealed record HaloCredentials(Uri Address, string Tenant, string ClientId, string ClientSecret, string NoteOutcome = HaloCredentials.DefaultOutcome)
{
    /// <summary>The outcome used when the connection names none.</summary>
    public const string DefaultOutcome = "Private Note";

    /// <summary>The instance these credentials reach.</summary>
    public PsaInstanceIdentity Identity => HaloProduct.Description.Identify(new Dictionary<string, string>
    {
        [HaloProduct.Address] = Address.AbsoluteUri,
        [HaloProduct.Tenant] = Tenant,
    });

    /// <summary>The resource server: every API call is below it.</summary>
    public Uri ApiBase => new(Address.AbsoluteUri.TrimEnd('/') + "/api/");

    /// <summary>The token endpoint, with the tenant for hosted instances.</summary>
    public Uri TokenUrl => new(Address.AbsoluteUri.TrimEnd('/') + "/auth/token" + (Tenant.Length == 0 ? "" : "?tenant=" + Uri.EscapeDataString(Tenant)));

    /// <inheritdoc />
    public override string ToString() => $"HaloPSA client {ClientId} at {Address.Authority} (secret hidden)";

    /// <summary>Reads the credentials from a connection's settings (names as in <see cref="HaloProduct"/>).</summary>
    public static HaloCredentials FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string Get(string name) => settings.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v)
            ? v.Trim()
            : throw new PsaException(Http.RemoteErrorKind.ValidationFailed, $"The HaloPSA setting \"{name}\" is empty.", name);
        string Optional(string name) => settings.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : "";

        // Identify validates the address and words what is wrong with it.
        HaloProduct.Description.Identify(settings);
        var address = Get(HaloProduct.Address);
        var uri = new Uri(address.Contains("://", StringComparison.Ordinal) ? address : "https://" + address);
        var outcome = Optional(HaloProduct.NoteOutcome);
        return new(uri, Optional(HaloProduct.Tenant), Get(HaloProduct.ClientId), Get(HaloProduct.ClientSecret), outcome.Length == 0 ? DefaultOutcome : outcome);
    }
}
