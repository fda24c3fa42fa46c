using System.Net;
using EasyConnect.Sync.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace EasyConnect.Sync.Http;

/// <summary>How one vendor's named HttpClient is set up: its name, the name its retry lines use, and what differs per vendor.</summary>
/// <param name="ClientName">The name of the HttpClient pipeline.</param>
/// <param name="Vendor">The vendor's name as the admin knows it ("ConnectWise"), for the retry log.</param>
/// <param name="SectionName">The configuration section of the vendor's options.</param>
/// <param name="FollowRedirects">Whether a 3xx is followed; a vendor whose redirect drops the sign-in says no.</param>
/// <param name="PerAttempt">Strategies added inside the retries and before the attempt timeout (a vendor's own rate limit).</param>
public sealed record VendorHttpClient(
    string ClientName,
    string Vendor,
    string SectionName,
    bool FollowRedirects = true,
    Action<ResiliencePipelineBuilder<HttpResponseMessage>>? PerAttempt = null);

/// <summary>
/// The one HTTP kit every vendor client is built on: validated options, total timeout, retries with the shared rules,
/// attempt timeout, attempt counting and the one-line retry log. Registering a vendor is one call plus its auth handler.
/// </summary>
public static class VendorHttp
{
    /// <summary>The request option (set through Refit's <c>[Property]</c>) marking a write that must not be repeated blindly, whatever its verb.</summary>
    public const string NonIdempotentKey = "EasyConnect.Http.NonIdempotent";

    /// <summary>The request option marking a POST that only reads (Autotask's <c>{Entity}/query</c>), so it is retried like a GET.</summary>
    public const string ReadOnlyPostKey = "EasyConnect.Http.ReadOnlyPost";

    private static readonly HttpRequestOptionsKey<bool> NonIdempotent = new(NonIdempotentKey);
    private static readonly HttpRequestOptionsKey<bool> ReadOnlyPost = new(ReadOnlyPostKey);

    /// <summary>
    /// Binds and validates <typeparamref name="TOptions"/> from <see cref="VendorHttpClient.SectionName"/> and adds the named
    /// HttpClient: total timeout ⊃ retries ⊃ <see cref="VendorHttpClient.PerAttempt"/> ⊃ attempt timeout ⊃ attempt counter.
    /// </summary>
    public static IHttpClientBuilder AddVendorHttpClient<TOptions>(this IServiceCollection services, VendorHttpClient client)
        where TOptions : VendorHttpOptions
    {
        ArgumentNullException.ThrowIfNull(client);
        services.AddOptions<TOptions>()
            .BindConfiguration(client.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.TotalTimeout >= o.AttemptTimeout, $"{client.SectionName}:TotalTimeout must not be shorter than AttemptTimeout.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        var http = services.AddHttpClient(client.ClientName);
        if (!client.FollowRedirects)
        {
            http.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        }

        http.AddResilienceHandler(client.ClientName, (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptionsMonitor<TOptions>>().CurrentValue;
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            pipeline
                .AddTimeout(o.TotalTimeout)
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, o.MaxRetries),
                    Delay = o.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = false,
                    DelayGenerator = args => ValueTask.FromResult(
                        RetryDelay(args.Outcome.Result, args.AttemptNumber, o.ThrottleDelay, time.GetUtcNow(), Random.Shared.NextDouble())),
                    ShouldHandle = args => ValueTask.FromResult(o.MaxRetries > 0 && ShouldRetry(args.Outcome, args.Context)),
                    OnRetry = RetryLog.For(context.ServiceProvider, client.Vendor),
                });
            client.PerAttempt?.Invoke(pipeline);
            pipeline.AddTimeout(o.AttemptTimeout);
        });
        // Added after the resilience handler, so it runs inside it and sees every attempt.
        http.AddHttpMessageHandler(() => new VendorAttemptHandler(client.Vendor));
        return http;
    }

    /// <summary>
    /// The wait before retry <paramref name="attempt"/> (0 for the first) after <paramref name="response"/>: what its Retry-After
    /// says; after a 429 without one, <paramref name="throttleDelay"/> doubled per attempt plus up to a quarter
    /// (<paramref name="jitter"/>, 0–1); otherwise null, so the exponential backoff from the base delay applies.
    /// </summary>
    public static TimeSpan? RetryDelay(HttpResponseMessage? response, int attempt, TimeSpan throttleDelay, DateTimeOffset now, double jitter)
    {
        if (response?.Headers.RetryAfter is { } retryAfter)
        {
            var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : null);
            if (wait is { } named)
            {
                return named < TimeSpan.Zero ? TimeSpan.Zero : named;
            }
        }

        if (response?.StatusCode != HttpStatusCode.TooManyRequests)
        {
            return null;
        }

        // Capped so a long run of refusals never waits past the total timeout's range by overflow.
        var doubled = throttleDelay * Math.Pow(2, Math.Min(attempt, 10));
        return doubled * (1 + (Math.Clamp(jitter, 0, 1) / 4));
    }

    /// <summary>
    /// 429 always (the vendor refused it unapplied); 5xx, 408, timeouts and broken connections only when repeating cannot apply
    /// the request twice (not a POST unless marked <see cref="ReadOnlyPostKey"/>, not marked <see cref="NonIdempotentKey"/>); other 4xx never (the same request would fail the same way).
    /// </summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = outcome.Result?.RequestMessage ?? context.GetRequestMessage();
        // A POST that timed out or lost its answer may have been applied: it surfaces as a Timeout and the caller reconciles.
        var idempotent = request is not null
            && (request.Method != HttpMethod.Post || (request.Options.TryGetValue(ReadOnlyPost, out var readOnly) && readOnly))
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
            // A connection that could not be made never carried the request, so even a write is safe to send again.
            HttpRequestException e => idempotent || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError,
            _ => false,
        };
    }
}
