using System.Net.Http.Headers;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace EasyConnect.Sync.Portal.Zendesk;

/// <summary>Adds the connection's credentials to every call of one client.</summary>
internal sealed class ZendeskAuthHandler : DelegatingHandler
{
    private readonly AuthenticationHeaderValue _authorization;

    public ZendeskAuthHandler(ZendeskConnectionSettings settings)
    {
        _authorization = string.IsNullOrWhiteSpace(settings.OAuthToken)
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
                // Zendesk API tokens authenticate as Basic "{email}/token:{api_token}".
                $"{settings.Email?.Trim()}/token:{settings.ApiToken?.Trim()}")))
            : new AuthenticationHeaderValue("Bearer", settings.OAuthToken.Trim());
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Outside the resilience handler: for incremental export calls, hands the account's rate limiter to <see cref="ZendeskExportLimit"/>.</summary>
internal sealed class ZendeskExportHandler(RateLimiter exportLimiter) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri?.AbsolutePath.Contains("/api/v2/incremental/", StringComparison.Ordinal) == true)
        {
            request.Options.Set(ZendeskExportLimit.Key, exportLimiter);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The incremental export's rate limit, applied per attempt by the resilience pipeline (before the attempt timeout starts).</summary>
internal static class ZendeskExportLimit
{
    public static readonly HttpRequestOptionsKey<RateLimiter> Key = new("EasyConnect.Zendesk.ExportLimiter");

    private static readonly RateLimiter Unlimited = RateLimitPartition.GetNoLimiter(0).Factory(0);

    /// <summary>
    /// Zendesk allows 10 incremental export requests a minute per account: waiting here beats a 429 and its penalty wait.
    /// Other requests pass at once.
    /// </summary>
    public static ValueTask<RateLimitLease> AcquireAsync(ResilienceContext context)
    {
        var limiter = context.GetRequestMessage()?.Options.TryGetValue(Key, out var found) == true ? found : Unlimited;
        return limiter.AcquireAsync(1, context.CancellationToken);
    }
}
