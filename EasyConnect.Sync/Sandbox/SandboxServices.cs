using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.Sandbox;

/// <summary>How every sandbox registers its state: options bound from its configuration section and validated at start, one state per process.</summary>
internal static class SandboxServices
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> (then <paramref name="configure"/>), validates it at start and
    /// registers the state that <paramref name="create"/> builds from the options and the clock.
    /// </summary>
    public static IServiceCollection AddSandboxState<TOptions, TState>(
        this IServiceCollection services, string section, Action<TOptions>? configure, Func<TOptions, TimeProvider, TState> create)
        where TOptions : class
        where TState : class
    {
        var options = services.AddOptions<TOptions>().BindConfiguration(section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => create(sp.GetRequiredService<IOptions<TOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
