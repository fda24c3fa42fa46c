using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.Users;

/// <summary>
/// At start-up, while no user exists: creates the first administrator from configuration when given,
/// otherwise prints the one-time setup code and where to use it.
/// </summary>
internal sealed class FirstRunAnnouncer(
    FirstRunSetup setup,
    IOptions<SetupOptions> options,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILogger<FirstRunAnnouncer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await setup.IsRequiredAsync(cancellationToken))
        {
            return;
        }

        var configured = options.Value;
        if (!string.IsNullOrWhiteSpace(configured.AdminEmail) && !string.IsNullOrWhiteSpace(configured.AdminPassword))
        {
            var result = await setup.CreateFromConfigurationAsync(configured.AdminEmail, configured.AdminPassword, cancellationToken);
            if (result.Succeeded)
            {
                logger.LogInformation("First administrator {Email} created from configuration (EasyConnect:Setup)", configured.AdminEmail);
                return;
            }

            logger.LogError("The first administrator given in EasyConnect:Setup could not be created: {Errors}", string.Join(" ", result.Errors));
        }

        // The addresses are known only once the server listens.
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";
            logger.LogWarning(
                "First-run setup: no user exists yet. Open {Url}/setup and enter the setup code {SetupCode} to create the first administrator.",
                address.TrimEnd('/'), setup.SetupCode);
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
