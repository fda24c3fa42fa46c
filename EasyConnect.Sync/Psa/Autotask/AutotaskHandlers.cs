using System.Net;
using EasyConnect.Sync.Http;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>Adds Autotask's three authentication headers (and the impersonated resource, when set) to every API call of one client.</summary>
internal sealed class AutotaskAuthHandler(AutotaskCredentials credentials) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Set(request, "ApiIntegrationCode", credentials.IntegrationCode);
        Set(request, "UserName", credentials.UserName);
        Set(request, "Secret", credentials.Secret);
        // A call that names its own author (a note written for a member) keeps it.
        if (credentials.ImpersonationResourceId is { } resource && !request.Headers.Contains("ImpersonationResourceId"))
        {
            Set(request, "ImpersonationResourceId", resource);
        }

        return base.SendAsync(request, cancellationToken);
    }

    private static void Set(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }
}

/// <summary>
/// Inside the retries: Autotask answers a refused record, a wrong user name and a wrong integration code with a 500 that
/// carries <c>errors[]</c>. Repeating such a request fails the same way, so it is marked as not to be repeated; a 500 without
/// messages, or whose message says the server failed, is still retried by the kit's rules. Autotask reads are POSTs to <c>{Entity}/query</c>: they are marked as reads,
/// so an outage or a timeout is retried for them as for a GET.
/// </summary>
internal sealed class AutotaskAnswerHandler : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<bool> NoRetry = new(VendorHttp.NonIdempotentKey);
    private static readonly HttpRequestOptionsKey<bool> ReadOnly = new(VendorHttp.ReadOnlyPostKey);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath is { } path
            && (path.EndsWith("/query", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/query/count", StringComparison.OrdinalIgnoreCase)))
        {
            request.Options.Set(ReadOnly, true);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.InternalServerError && response.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken);
            if (AutotaskErrors.IsAnswer(AutotaskErrors.Messages(await content.ReadAsStringAsync(cancellationToken))))
            {
                (response.RequestMessage ?? request).Options.Set(NoRetry, true);
                request.Options.Set(NoRetry, true);
            }
        }

        return response;
    }
}
