using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Sync.Psa.Halo;

namespace EasyConnect.Admin.Hosting;

/// <summary>The PSA products the host can connect to: each one registered here is offered as connectable on the Integration page.</summary>
internal static class PsaExtensions
{
    public static WebApplicationBuilder AddEasyConnectPsas(this WebApplicationBuilder builder)
    {
        builder.Services.AddEasyConnectConnectWise();
        // Autotask's client passes the ticket-engine and mirror suites against its sandbox.
        builder.Services.AddEasyConnectAutotask();
        // Halo's client passes the same suites against its sandbox; its user and client mapping pages speak Halo's nouns.
        builder.Services.AddEasyConnectHalo();
        return builder;
    }
}
