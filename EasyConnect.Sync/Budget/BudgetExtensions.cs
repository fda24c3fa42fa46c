using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EasyConnect.Sync.Budget;

/// <summary>Registers the API budget governor.</summary>
public static class BudgetExtensions
{
    /// <summary>Adds <see cref="ApiBudgetGovernor"/> and its validated <see cref="ApiBudgetOptions"/>.</summary>
    public static IServiceCollection AddEasyConnectApiBudget(this IServiceCollection services)
    {
        services.AddOptions<ApiBudgetOptions>()
            .BindConfiguration(ApiBudgetOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApiBudgetGovernor>();
        return services;
    }
}
