using System.Net.Http.Headers;
using System.Text;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>Adds ConnectWise's authentication and version headers to every API call of one client.</summary>
internal sealed class ConnectWiseAuthHandler(ConnectWiseCredentials credentials, string apiVersion) : DelegatingHandler
{
    // ConnectWise API keys authenticate as Basic "{companyId}+{publicKey}:{privateKey}".
    private readonly AuthenticationHeaderValue _authorization = new(
        "Basic",
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.CompanyId}+{credentials.PublicKey}:{credentials.PrivateKey}")));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _authorization;
        request.Headers.Remove("clientId");
        request.Headers.TryAddWithoutValidation("clientId", credentials.ClientId);
        request.Headers.Accept.Clear();
        request.Headers.TryAddWithoutValidation("Accept", $"application/vnd.connectwise.com+json; version={apiVersion}");
        return base.SendAsync(request, cancellationToken);
    }
}
