using EasyConnect.Sync.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Audit;

/// <summary>Writes and reads the audit log.</summary>
public sealed class AuditLog(IDbContextFactory<EasyConnectDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Records one change in its own transaction.</summary>
    public async Task WriteAsync(string actor, string action, string target, string? details = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(Create(actor, action, target, details));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds an entry to a unit of work the caller saves, so the change and its record commit together.</summary>
    public void Add(EasyConnectDbContext db, string actor, string action, string target, string? details = null) =>
        db.AuditEntries.Add(Create(actor, action, target, details));

    /// <summary>A page of entries, newest first, optionally filtered by a text found in any column.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Items, int Total)> ListAsync(int skip, int take, string? search, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Contains(search);
            query = query.Where(e => EF.Functions.ILike(e.Actor, pattern) || EF.Functions.ILike(e.Action, pattern)
                || EF.Functions.ILike(e.Target, pattern) || (e.Details != null && EF.Functions.ILike(e.Details, pattern)));
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return (items, total);
    }

    // Targets are composed from names the PSA or the portal chose ("ConnectWise {site} / company {id}"): a long one is
    // cut rather than failing the change it records.
    private AuditEntry Create(string actor, string action, string target, string? details) => new()
    {
        At = clock.GetUtcNow(),
        Actor = TextLimit.Clip(actor, AuditEntry.ActorMaxLength),
        Action = TextLimit.Clip(action, AuditEntry.ActionMaxLength),
        Target = TextLimit.Clip(target, AuditEntry.TargetMaxLength),
        Details = details,
    };
}
