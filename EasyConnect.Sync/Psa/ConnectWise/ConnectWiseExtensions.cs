using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>Registers the ConnectWise client.</summary>
public static class ConnectWiseExtensions
{
    /// <summary>
    /// Adds <see cref="ConnectWiseClientFactory"/> (also as an <see cref="IPsaClientFactory"/>), its validated
    /// <see cref="ConnectWiseOptions"/> and the vendor HTTP kit's pipeline, with redirects not followed.
    /// </summary>
    public static IServiceCollection AddEasyConnectConnectWise(this IServiceCollection services)
    {
        // ConnectWise redirects an outdated codebase (v4_6_release/ on cloud) and a followed redirect drops the Authorization
        // header: the codebase comes from login/companyinfo, and a 3xx is reported as it is, never followed.
        services.AddVendorHttpClient<ConnectWiseOptions>(new(ConnectWiseClientFactory.HttpClientName, "ConnectWise", ConnectWiseOptions.SectionName, FollowRedirects: false));
        services.AddEasyConnectApiBudget();
        services.AddSingleton(new ProductApiBudget(PsaKind.ConnectWise, ConnectWiseApiBudget.Defaults));
        services.TryAddSingleton<ConnectWiseClientFactory>();
        services.AddSingleton<IPsaClientFactory>(sp => sp.GetRequiredService<ConnectWiseClientFactory>());
        return services;
    }
}
