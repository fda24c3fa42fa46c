using EasyConnect.Sync.Http;

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
    /// <exception cref="PsaException">The site is not an http or https address with a host (ValidationFailed).</exception>
    public Uri SiteBaseUri => ParseSite(Site);

    /// <summary>
    /// Reads a site as typed: a host name, or a full http/https address. Anything else is refused in words an admin can act on,
    /// rather than .NET's "Invalid URI: The URI scheme is not valid."
    /// </summary>
    public static Uri ParseSite(string site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var text = site.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        text = text.TrimEnd('/');

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            || string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new PsaException(RemoteErrorKind.ValidationFailed,
                $"\"{site.Trim()}\" is not a ConnectWise site address. Enter the site as https://host (such as https://na.myconnectwise.net), " +
                "or just the host name; an on-premises server may add a port and path (https://cw.example.com:8443/cw).", "site");
        }

        return uri;
    }

    /// <summary>A stable, comparable identity of the instance: "site|companyid", lowercase.</summary>
    public string InstanceKey =>
        $"{SiteBaseUri.GetComponents(UriComponents.HostAndPort | UriComponents.Path, UriFormat.Unescaped).TrimEnd('/')}|{CompanyId.Trim()}".ToLowerInvariant();

    /// <summary>The instance these credentials reach, as the connection and the instance-change workflow compare it.</summary>
    public PsaInstanceIdentity Identity => new(PsaKind.ConnectWise, InstanceKey,
        $"{SiteBaseUri.Authority}{SiteBaseUri.AbsolutePath.TrimEnd('/')} — {CompanyId}");

    /// <inheritdoc />
    public override string ToString() => $"ConnectWise {Site} company {CompanyId} (keys hidden)";

    /// <summary>Reads the credentials from a connection's settings (names as in <see cref="ConnectWiseProduct"/>).</summary>
    public static ConnectWiseCredentials FromSettings(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string Get(string name) => settings.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v)
            ? v.Trim()
            : throw new PsaException(RemoteErrorKind.ValidationFailed, $"The ConnectWise setting \"{name}\" is empty.", name);
        var credentials = new ConnectWiseCredentials(Get(ConnectWiseProduct.Site), Get(ConnectWiseProduct.CompanyId), Get(ConnectWiseProduct.PublicKey), Get(ConnectWiseProduct.PrivateKey), Get(ConnectWiseProduct.ClientId));
        _ = credentials.SiteBaseUri;
        return credentials;
    }
}
