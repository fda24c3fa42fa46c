using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EasyConnect.Sync.Connections;

/// <summary>Registers PSA connections.</summary>
public static class ConnectionsExtensions
{
    /// <summary>Adds connection storage, secret protection, the client provider and the validated <see cref="ConnectionTestOptions"/>. PSA products register their <see cref="IPsaClientFactory"/>.</summary>
    public static IHostApplicationBuilder AddEasyConnectConnections(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConnectionTestOptions>()
            .BindConfiguration(ConnectionTestOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ConnectionSecrets>();
        builder.Services.AddSingleton<PsaConnections>();
        builder.Services.AddSingleton<IPsaClientProvider>(sp => sp.GetRequiredService<PsaConnections>());
        builder.Services.AddSingleton<ISetupStatusReader, SetupStatusReader>();
        builder.Services.AddSingleton<Portal.PortalConnections>();
        builder.Services.AddSingleton<Portal.IPortalClientProvider>(sp => sp.GetRequiredService<Portal.PortalConnections>());
        builder.Services.AddTransient<ConnectionCleanup>();
        builder.Services.AddTransient<ConnectionCleanupJob>();
        return builder;
    }
}
