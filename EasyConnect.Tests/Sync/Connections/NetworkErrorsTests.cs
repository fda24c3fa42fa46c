using System.Net.Sockets;
using System.Security.Authentication;
using EasyConnect.Sync.Portal.Zendesk;
using EasyConnect.Sync.Psa.ConnectWise;

namespace EasyConnect.Tests.Sync.Connections;

/// <summary>.NET's own words for network failures become what an admin should check, for ConnectWise and for Zendesk.</summary>
public sealed class NetworkErrorsTests
{
    public static TheoryData<string, string, string> Failures => new()
    {
        { "dns", "Name or service not known (cw.example.com:443)", "was not found (DNS). Check the {0} for a typing error" },
        { "refused", "Connection refused (127.0.0.1:1)", "nothing is listening at that address and port (connection refused). Check the {0} and its port" },
        { "tls", "The SSL connection could not be established, see inner exception.", "the secure (HTTPS) connection failed: the server's certificate is not trusted" },
        { "proxy", "The proxy tunnel request to proxy 'http://proxy:3128/' failed with status code '403'.", "the proxy refused to connect EasyConnect to it. Check the proxy settings" },
        { "unreachable", "No route to host (10.0.0.1:443)", "there is no network route to the server. Check the {0}" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void ConnectWiseMap_SaysWhatToCheck_InsteadOfTheDotNetMessage(string kind, string raw, string expected)
    {
        var error = ConnectWiseErrors.Map(new CwOperation("find the company", "", false), Failure(kind, raw), CancellationToken.None);

        Assert.StartsWith("ConnectWise could not be reached to find the company: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, "site address"), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(raw, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void ZendeskMap_SaysWhatToCheck_InsteadOfTheDotNetMessage(string kind, string raw, string expected)
    {
        var error = ZendeskErrors.Map(new ZdOperation("sign in", null, false), Failure(kind, raw));

        Assert.StartsWith("Zendesk could not be reached to sign in: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, "portal address"), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(raw, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConnectWiseMap_NamesTheSiteAndAFirewallOrProxy_WhenAnAttemptTimedOut()
    {
        var error = ConnectWiseErrors.Map(new CwOperation("sign in", "", false), new Polly.Timeout.TimeoutRejectedException(), CancellationToken.None);

        Assert.Equal("ConnectWise did not answer in time while trying to sign in. If it persists, check the site address, and that no firewall or proxy holds the connection.",
            error.Message);
    }

    private static HttpRequestException Failure(string kind, string raw) => kind switch
    {
        "dns" => new(HttpRequestError.NameResolutionError, raw, new SocketException((int)SocketError.HostNotFound)),
        "refused" => new(HttpRequestError.ConnectionError, raw, new SocketException((int)SocketError.ConnectionRefused)),
        "tls" => new(HttpRequestError.SecureConnectionError, raw,
            new AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot")),
        "proxy" => new(HttpRequestError.ProxyTunnelError, raw),
        "unreachable" => new(HttpRequestError.ConnectionError, raw, new SocketException((int)SocketError.HostUnreachable)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
