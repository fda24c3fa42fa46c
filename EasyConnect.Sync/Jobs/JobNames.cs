using System.Collections.Concurrent;
using System.Globalization;
using EasyConnect.Sync.Persistence;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Jobs;

/// <summary>
/// Names jobs in the jobs dashboard the way people know them: a job's <see cref="ConnectionJobNameAttribute"/> with every connection id
/// replaced by the connection's name ("PSA full sync of connection acme.myconnectwise.net — acme"), so a support engineer does not have
/// to match GUIDs. Names are read from the database at most every 30 seconds; an unknown id stays as it is.
/// </summary>
public sealed class JobNames(IDbContextFactory<EasyConnectDbContext> dbFactory, TimeProvider clock)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<Guid, string> _names = new Dictionary<Guid, string>();
    private DateTimeOffset _loadedAt = DateTimeOffset.MinValue;

    /// <summary>Formats <paramref name="format"/> with the job's arguments, connection ids replaced by connection names.</summary>
    public string Describe(Job job, string format)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(format);
        var names = Names();
        var args = job.Args.Select(a => a is Guid id && names.TryGetValue(id, out var name) ? name : a).ToArray();
        try
        {
            return string.Format(CultureInfo.InvariantCulture, format, args);
        }
        catch (FormatException)
        {
            return format;
        }
    }

    private IReadOnlyDictionary<Guid, string> Names()
    {
        lock (_gate)
        {
            if (clock.GetUtcNow() - _loadedAt < Fresh)
            {
                return _names;
            }

            // The dashboard renders synchronously; this is one small query per 30 seconds.
            using var db = dbFactory.CreateDbContext();
            _names = db.PsaConnections.AsNoTracking().Select(c => new { c.Id, c.DisplayName }).ToDictionary(c => c.Id, c => c.DisplayName);
            _loadedAt = clock.GetUtcNow();
            return _names;
        }
    }
}
