using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Telemetry;
using OpenTelemetry.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EasyConnect.Admin.Hosting;

internal static class OperationsExtensions
{
    private const string DefaultUrl = "http://localhost:5080";

    /// <summary>Where EasyConnect listens unless told otherwise, and health checks for load balancers: the database must answer.</summary>
    public static WebApplicationBuilder AddEasyConnectOperations(this WebApplicationBuilder builder)
    {
        // The default lives here, not in appsettings.json: there it would outrank ASPNETCORE_URLS, which is read before the file.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<EasyConnectDbContext>("database");
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName);
        if (builder.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() is { Enabled: true })
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(EasyConnectMetrics.MeterName)
                .AddPrometheusExporter());
            builder.Services.AddHostedService<MetricsGaugeRefresher>();
        }

        return builder;
    }

    /// <summary>Maps <c>/healthz</c> (anonymous, no details) and prints where the app listens.</summary>
    public static WebApplication MapEasyConnectOperations(this WebApplication app)
    {
        app.MapHealthChecks("/healthz").AllowAnonymous();
        if (app.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() is { Enabled: true } metrics)
        {
            // Prometheus scrapes without a login: keep /metrics off the internet (the reverse proxy in docs/install-linux.md does).
            app.MapPrometheusScrapingEndpoint(metrics.Path).AllowAnonymous();
        }
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            app.Logger.LogInformation("EasyConnect is ready at {Addresses}", string.Join(", ", addresses));
        });
        return app;
    }
}
