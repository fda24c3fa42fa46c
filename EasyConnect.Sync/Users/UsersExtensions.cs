using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EasyConnect.Sync.Users;

/// <summary>Registers user management and first-run setup.</summary>
public static class UsersExtensions
{
    /// <summary>
    /// Adds the user directory and first-run setup. Identity itself (stores, sign-in, cookies) is
    /// registered by the host. Call after <c>AddEasyConnectPersistence</c> so migrations run first.
    /// </summary>
    public static IHostApplicationBuilder AddEasyConnectUsers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SetupOptions>().BindConfiguration(SetupOptions.SectionName);
        builder.Services.AddScoped<UserDirectory>();
        builder.Services.AddSingleton<SignInPolicy>();
        builder.Services.AddSingleton<FirstRunSetup>();
        builder.Services.AddHostedService<FirstRunAnnouncer>();
        return builder;
    }
}
