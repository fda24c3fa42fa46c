using EasyConnect.Sync.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;
using Polly.RateLimiting;

namespace EasyConnect.Sync.Portal.Zendesk;

/// <summary>Registers the Zendesk client.</summary>
public static class ZendeskExtensions
{
    /// <summary>
    /// Adds <see cref="ZendeskClientFactory"/>, its validated <see cref="ZendeskOptions"/> and the vendor HTTP kit's pipeline,
    /// with the incremental export's rate limit applied per attempt.
    /// </summary>
    public static IServiceCollection AddEasyConnectZendesk(this IServiceCollection services)
    {
        services.AddVendorHttpClient<ZendeskOptions>(new(ZendeskClientFactory.HttpClientName, "Zendesk", ZendeskOptions.SectionName,
            PerAttempt: pipeline => pipeline.AddRateLimiter(new RateLimiterStrategyOptions { RateLimiter = args => ZendeskExportLimit.AcquireAsync(args.Context) })));
        services.TryAddSingleton<ZendeskClientFactory>();
        return services;
    }
}
