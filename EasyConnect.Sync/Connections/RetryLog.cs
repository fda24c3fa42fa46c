using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace EasyConnect.Sync.Connections;

/// <summary>
/// One warning line per retry of a vendor call: vendor, method, endpoint, status, attempt and wait. Polly's own
/// telemetry logs each retry with the exception's stack trace, which buries a first run's log; it is turned off
/// in the logging configuration and this line takes its place.
/// </summary>
public static partial class RetryLog
{
    /// <summary>The category of the retry lines.</summary>
    public const string Category = "EasyConnect.Sync.Connections.Retries";

    /// <summary>An <see cref="RetryStrategyOptions{T}.OnRetry"/> handler that logs one line for <paramref name="vendor"/>.</summary>
    public static Func<OnRetryArguments<HttpResponseMessage>, ValueTask> For(IServiceProvider services, string vendor)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return args =>
        {
            var request = args.Outcome.Result?.RequestMessage ?? args.Context.GetRequestMessage();
            Retrying(logger, vendor, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", Status(args.Outcome),
                args.AttemptNumber + 1, Math.Round(args.RetryDelay.TotalSeconds, 1));
            return ValueTask.CompletedTask;
        };
    }

    internal static string Status(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
        { Exception: Polly.Timeout.TimeoutRejectedException } => "timeout",
        { Exception: HttpRequestException e } => $"no answer ({e.HttpRequestError})",
        { Exception: { } e } => e.GetType().Name,
        _ => "?",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Vendor} {Method} {Endpoint} answered {Status}; attempt {Attempt} failed, retrying in {WaitSeconds} s")]
    private static partial void Retrying(ILogger logger, string vendor, string method, string endpoint, string status, int attempt, double waitSeconds);
}
