using EasyConnect.Sync.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;

namespace EasyConnect.Sync.Portal.Zendesk;

/// <summary>Registers the Zendesk client.</summary>
public static class ZendeskExtensions
{
    /// <summary>
    /// Adds <see cref="ZendeskClientFactory"/>, its validated <see cref="ZendeskOptions"/> and the HttpClient pipeline:
    /// total timeout, retries (honouring Retry-After), the export rate limit, attempt timeout and request counting per attempt.
    /// </summary>
    public static IServiceCollection AddEasyConnectZendesk(this IServiceCollection services)
    {
        services.AddOptions<ZendeskOptions>()
            .BindConfiguration(ZendeskOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.TotalTimeout >= o.AttemptTimeout, "EasyConnect:Zendesk:TotalTimeout must not be shorter than AttemptTimeout.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        var http = services.AddHttpClient(ZendeskClientFactory.HttpClientName);
        http.AddResilienceHandler("zendesk", (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptionsMonitor<ZendeskOptions>>().CurrentValue;
            pipeline
                .AddTimeout(o.TotalTimeout)
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, o.MaxRetries),
                    Delay = o.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = true,
                    ShouldHandle = args => ValueTask.FromResult(o.MaxRetries > 0 && ZendeskRetry.ShouldRetry(args.Outcome, args.Context)),
                    OnRetry = RetryLog.For(context.ServiceProvider, "Zendesk"),
                })
                .AddRateLimiter(new RateLimiterStrategyOptions { RateLimiter = args => ZendeskExportLimit.AcquireAsync(args.Context) })
                .AddTimeout(o.AttemptTimeout);
        });
        // Added after the resilience handler, so it runs inside it and sees every attempt.
        http.AddHttpMessageHandler(() => new ZendeskAttemptHandler());

        services.TryAddSingleton<ZendeskClientFactory>();
        return services;
    }
}
