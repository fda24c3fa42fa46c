using EasyConnect.Sync.Logging;

namespace EasyConnect.Admin.Hosting;

internal static class LoggingExtensions
{
    /// <summary>
    /// Console logging: one line per event by default, JSON (structured, for log shippers) when
    /// <c>Logging:Console:FormatterName</c> is <c>json</c>. Secrets never reach a logger: the code logs ids
    /// and names only, and Npgsql is told not to log parameter values. Which categories are quiet (per-request
    /// HttpClient lines, Polly's retry telemetry) is set in appsettings.json, so an operator can turn them up.
    /// </summary>
    public static WebApplicationBuilder AddEasyConnectLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddEasyConnectConsole();
        return builder;
    }
}
