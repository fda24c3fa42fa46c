using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>Registers the Autotask client.</summary>
public static class AutotaskExtensions
{
    /// <summary>
    /// Adds <see cref="AutotaskClientFactory"/> (also as an <see cref="IPsaClientFactory"/>, which makes the Integration page
    /// offer Autotask as connectable), its validated <see cref="AutotaskOptions"/>, the vendor HTTP kit's pipeline and Autotask's
    /// API budget. The host calls it once the client has passed the engine suite against the Autotask sandbox.
    /// </summary>
    public static IServiceCollection AddEasyConnectAutotask(this IServiceCollection services)
    {
        services.AddVendorHttpClient<AutotaskOptions>(new(AutotaskClientFactory.HttpClientName, "Autotask", AutotaskOptions.SectionName))
            // Inside the retries: a 500 that carries Autotask's messages is its answer, not an outage, and is not repeated.
            .AddHttpMessageHandler(() => new AutotaskAnswerHandler());
        services.AddEasyConnectApiBudget();
        services.AddSingleton(new ProductApiBudget(PsaKind.Autotask, AutotaskApiBudget.Defaults));
        services.TryAddSingleton<AutotaskClientFactory>();
        services.AddSingleton<IPsaClientFactory>(sp => sp.GetRequiredService<AutotaskClientFactory>());
        return services;
    }
}
