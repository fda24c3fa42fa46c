namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>What identifies and authenticates one ConnectWise connection. <see cref="ToString"/> never shows a key.</summary>
/// <param name="Site">
/// The site, e.g. <c>na.myconnectwise.net</c> or <c>cw.example.com</c>; a full base URL with scheme and path
/// (<c>http://127.0.0.1:5000/sandbox/connectwise</c>) is accepted too, for on-premises and the sandbox.
/// </param>
/// <param name="CompanyId">The company id typed at the ConnectWise login.</param>
/// <param name="PublicKey">The API member's public key.</param>
/// <param name="PrivateKey">The API member's private key.</param>
/// <param name="ClientId">The clientId registered at the ConnectWise developer portal.</param>
public sealed record ConnectWiseCredentials(string Site, string CompanyId, string PublicKey, string PrivateKey, string ClientId)
{
    /// <summary>The site as a base URL without a trailing slash; https when no scheme was given.</summary>
    public Uri SiteBaseUri
    {
        get
        {
            var site = Site.Trim().TrimEnd('/');
            if (!site.Contains("://", StringComparison.Ordinal))
            {
                site = "https://" + site;
            }

            return new Uri(site, UriKind.Absolute);
        }
    }

    /// <summary>A stable, comparable identity of the instance: "site|companyid", lowercase.</summary>
    public string InstanceKey =>
        $"{SiteBaseUri.GetComponents(UriComponents.HostAndPort | UriComponents.Path, UriFormat.Unescaped).TrimEnd('/')}|{CompanyId.Trim()}".ToLowerInvariant();

    /// <inheritdoc />
    public override string ToString() => $"ConnectWise {Site} company {CompanyId} (keys hidden)";

    /// <summary>Reads the credentials from a connection's settings (names as in <see cref="ConnectWiseClientFactory.SettingNames"/>).</summary>
    public static ConnectWiseCredentials FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        string Get(string name) => settings.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v)
            ? v.Trim()
            : throw new PsaException(PsaErrorKind.ValidationFailed, $"The ConnectWise setting \"{name}\" is empty.", name);
        return new(Get("site"), Get("companyId"), Get("publicKey"), Get("privateKey"), Get("clientId"));
    }
}
