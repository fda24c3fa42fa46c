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

/// <summary>
/// Applies the connection's concurrency limit to a whole call (retries included, so a throttled call keeps its slot
/// and the connection slows down as the PSA asks) and hands the client's request counter to <see cref="ConnectWiseAttemptCounter"/>.
/// </summary>
internal sealed class ConnectWiseConnectionHandler(SemaphoreSlim limit, ApiCallCounter counter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.Set(ApiCallCounter.Key, counter);
        await limit.WaitAsync(cancellationToken);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            limit.Release();
        }
    }
}

/// <summary>Sits inside the resilience handler, so it sees every attempt: counts each HTTP request actually sent.</summary>
internal sealed class ConnectWiseAttemptCounter : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(ApiCallCounter.Key, out var counter))
        {
            counter.Increment();
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Counts HTTP requests of one client.</summary>
internal sealed class ApiCallCounter
{
    public static readonly HttpRequestOptionsKey<ApiCallCounter> Key = new("EasyConnect.ConnectWise.ApiCalls");

    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
