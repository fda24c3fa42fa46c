using EasyConnect.Sync.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EasyConnect.Sync.Mappings;

/// <summary>Registers the PSA user mapping.</summary>
public static class MappingsExtensions
{
    /// <summary>Adds <see cref="UserMappings"/>, <see cref="ClientMappings"/> and their part in the instance-change clean-up.</summary>
    public static IHostApplicationBuilder AddEasyConnectMappings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UserMappings>();
        builder.Services.AddSingleton<IConnectionDataOwner, UserMappingData>();
        builder.Services.AddSingleton<ClientMappings>();
        builder.Services.AddSingleton<IConnectionDataOwner, ClientMappingData>();
        return builder;
    }
}
