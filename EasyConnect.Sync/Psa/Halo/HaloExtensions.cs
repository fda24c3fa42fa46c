using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.Psa.Halo;

/// <summary>Registers the HaloPSA client.</summary>
public static class HaloExtensions
{
    /// <summary>
    /// Adds <see cref="HaloClientFactory"/> (also as an <see cref="IPsaClientFactory"/>, which makes the Integration page offer
    /// HaloPSA as connectable), its validated <see cref="HaloOptions"/>, the vendor HTTP kit's pipeline and Halo's API budget
    /// (<see cref="HaloApiBudget"/>, changed per instance under <c>EasyConnect:ApiBudget:RequestsPerWindow</c>).
    /// </summary>
    public static IServiceCollection AddEasyConnectHalo(this IServiceCollection services)
    {
        services.AddVendorHttpClient<HaloOptions>(new(HaloClientFactory.HttpClientName, "HaloPSA", HaloOptions.SectionName))
            // Inside the retries: a 429 without Retry-After waits out Halo's rolling window instead of a second.
            .AddHttpMessageHandler(sp => new HaloThrottleHandler(sp.GetRequiredService<IOptionsMonitor<HaloOptions>>()));
        services.AddEasyConnectApiBudget();
        services.AddSingleton(new ProductApiBudget(PsaKind.Halo, HaloApiBudget.Defaults));
        services.TryAddSingleton<HaloClientFactory>();
        services.AddSingleton<IPsaClientFactory>(sp => sp.GetRequiredService<HaloClientFactory>());
        return services;
    }
}
