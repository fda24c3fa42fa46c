using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.RateLimiting;
using EasyConnect.Sync.Connections;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

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

/// <summary>
/// Outside the resilience handler: hands the client's request counter to <see cref="ZendeskAttemptHandler"/>, and for incremental
/// export calls the account's rate limiter to <see cref="ZendeskExportLimit"/>.
/// </summary>
internal sealed class ZendeskConnectionHandler(ZendeskCallCounter counter, RateLimiter exportLimiter) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.Set(ZendeskCallCounter.Key, counter);
        if (request.RequestUri?.AbsolutePath.Contains("/api/v2/incremental/", StringComparison.Ordinal) == true)
        {
            request.Options.Set(ZendeskExportLimit.Key, exportLimiter);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Inside the resilience handler: counts every attempt actually sent.</summary>
internal sealed class ZendeskAttemptHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(ZendeskCallCounter.Key, out var counter))
        {
            counter.Increment();
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

/// <summary>Counts HTTP requests of one client.</summary>
internal sealed class ZendeskCallCounter
{
    public static readonly HttpRequestOptionsKey<ZendeskCallCounter> Key = new("EasyConnect.Zendesk.ApiCalls");

    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}

/// <summary>Which outcomes the resilience pipeline retries.</summary>
internal static class ZendeskRetry
{
    /// <summary>The request option (set through Refit's <c>[Property]</c>) marking a write that must not be repeated blindly.</summary>
    public const string NonIdempotentKey = "EasyConnect.Zendesk.NonIdempotent";

    private static readonly HttpRequestOptionsKey<bool> NonIdempotent = new(NonIdempotentKey);

    /// <summary>
    /// 429 always (Zendesk refused it unapplied); 5xx, 408, timeouts and broken connections only when repeating cannot apply
    /// the request twice; other 4xx never (the same request would fail the same way).
    /// </summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        var idempotent = request is not null && request.Method != HttpMethod.Post
            && !(request.Options.TryGetValue(NonIdempotent, out var nonIdempotent) && nonIdempotent);
        if (outcome.Result is { } response)
        {
            var status = (int)response.StatusCode;
            return response.StatusCode == HttpStatusCode.TooManyRequests
                || (idempotent && (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout));
        }

        return outcome.Exception switch
        {
            TimeoutRejectedException => idempotent,
            HttpRequestException when ConnectionTestScope.IsActive => false,
            // A connection that could not be made never carried the request, so even a comment is safe to send again.
            HttpRequestException e => idempotent || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError,
            _ => false,
        };
    }
}
