using EasyConnect.Sync.Persistence;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EasyConnect.Admin.Hosting;

internal static class OperationsExtensions
{
    /// <summary>Health checks for load balancers: the database must answer.</summary>
    public static WebApplicationBuilder AddEasyConnectOperations(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddDbContextCheck<EasyConnectDbContext>("database");
        return builder;
    }

    /// <summary>Maps <c>/healthz</c> (anonymous, no details) and prints where the app listens.</summary>
    public static WebApplication MapEasyConnectOperations(this WebApplication app)
    {
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            app.Logger.LogInformation("EasyConnect is ready at {Addresses}", string.Join(", ", addresses));
        });
        return app;
    }
}
