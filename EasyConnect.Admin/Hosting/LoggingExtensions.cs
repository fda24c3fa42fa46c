namespace EasyConnect.Admin.Hosting;

internal static class LoggingExtensions
{
    /// <summary>
    /// Console logging: one line per event in development, JSON (structured, for log shippers) when
    /// <c>Logging:Console:FormatterName</c> is <c>json</c>. Secrets never reach a logger: the code logs ids
    /// and names only, and Npgsql is told not to log parameter values.
    /// </summary>
    public static WebApplicationBuilder AddEasyConnectLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.UseUtcTimestamp = true;
        });
        return builder;
    }
}
