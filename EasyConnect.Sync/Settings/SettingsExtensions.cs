using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EasyConnect.Sync.Settings;

/// <summary>Registers Advanced Settings.</summary>
public static class SettingsExtensions
{
    /// <summary>Adds <see cref="AdvancedSettingsStore"/>.</summary>
    public static IHostApplicationBuilder AddEasyConnectSettings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AdvancedSettingsStore>();
        return builder;
    }
}
