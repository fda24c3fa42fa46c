using System.Net;
using EasyConnect.Sync.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>Registers the ConnectWise client.</summary>
public static class ConnectWiseExtensions
{
    /// <summary>
    /// Adds <see cref="ConnectWiseClientFactory"/> (also as an <see cref="IPsaClientFactory"/>), its validated
    /// <see cref="ConnectWiseOptions"/> and the HttpClient pipeline: total timeout, retries, attempt timeout, request counting,
    /// redirects not followed.
    /// </summary>
    public static IServiceCollection AddEasyConnectConnectWise(this IServiceCollection services)
    {
        services.AddOptions<ConnectWiseOptions>()
            .BindConfiguration(ConnectWiseOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.TotalTimeout >= o.AttemptTimeout, "EasyConnect:ConnectWise:TotalTimeout must not be shorter than AttemptTimeout.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        var http = services.AddHttpClient(ConnectWiseClientFactory.HttpClientName);
        // ConnectWise redirects an outdated codebase (v4_6_release/ on cloud) and a followed redirect drops the Authorization
        // header: the codebase comes from login/companyinfo, and a 3xx is reported as it is, never followed.
        http.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        http.AddResilienceHandler("connectwise", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptionsMonitor<ConnectWiseOptions>>().CurrentValue;
                pipeline
                    .AddTimeout(o.TotalTimeout)
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = Math.Max(1, o.MaxRetries),
                        Delay = o.RetryBaseDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = true,
                        ShouldHandle = args => ValueTask.FromResult(o.MaxRetries > 0 && ShouldRetry(args.Outcome, args.Context)),
                        OnRetry = RetryLog.For(context.ServiceProvider, "ConnectWise"),
                    })
                    .AddTimeout(o.AttemptTimeout);
            });
        // Added after the resilience handler, so it runs inside it and sees every attempt.
        http.AddHttpMessageHandler(() => new ConnectWiseAttemptCounter());

        services.TryAddSingleton<ConnectWiseClientFactory>();
        services.AddSingleton<IPsaClientFactory>(sp => sp.GetRequiredService<ConnectWiseClientFactory>());
        return services;
    }

    /// <summary>5xx, 408, 429, timeouts and lost connections are retried; other 4xx never (the same request would fail the same way).</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var method = outcome.Result?.RequestMessage?.Method ?? context.GetRequestMessage()?.Method;
        // A POST that timed out or lost its answer may have been applied: it surfaces as PsaErrorKind.Timeout and the caller reconciles via externalXRef.
        var idempotent = method != HttpMethod.Post;
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
            HttpRequestException e => idempotent || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError,
            _ => false,
        };
    }
}
