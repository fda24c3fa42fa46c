using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Sync.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide, but each host's logger factory dies with its host. Where several
/// hosts share a process (the test suite runs many apps at once) a stopped host must not break the
/// others' job clients; such calls fall back to not logging.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new TolerantLog(_inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new TolerantLog(null);
        }
    }

    private sealed class TolerantLog(ILog? inner) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner?.Log(logLevel, messageFunc, exception) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
