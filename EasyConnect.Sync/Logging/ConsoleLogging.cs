using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace EasyConnect.Sync.Logging;

/// <summary>EasyConnect's console log: the host's and the embedded PostgreSQL launcher's, which starts before the host is built.</summary>
public static class ConsoleLogging
{
    /// <summary>
    /// Adds the console logger with the formatter named by <c>Logging:Console:FormatterName</c>: <c>simple</c> (one
    /// line per event, UTC time) by default, <c>json</c> for one JSON object per line. <c>AddSimpleConsole</c> is
    /// not used because it pins the simple formatter over the configuration.
    /// </summary>
    public static ILoggingBuilder AddEasyConnectConsole(this ILoggingBuilder logging)
    {
        logging.AddConsole();
        logging.Services.PostConfigure<ConsoleLoggerOptions>(o => o.FormatterName ??= ConsoleFormatterNames.Simple);
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.UseUtcTimestamp = true;
        });
        logging.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
        return logging;
    }
}
