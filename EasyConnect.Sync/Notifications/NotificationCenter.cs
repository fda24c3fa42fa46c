using EasyConnect.Sync.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Notifications;

/// <summary>
/// Stores notifications in the database (so a job on any process can notify the people on any other)
/// and tells open pages of this process at once; pages of other processes see them at their next poll.
/// </summary>
public sealed class NotificationCenter(IDbContextFactory<EasyConnectDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Raised in this process after a notification is stored.</summary>
    public event Action? Changed;

    /// <summary>Stores a notification for a role.</summary>
    public async Task NotifyAsync(string role, string message, string? link = null, bool isError = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Notifications.Add(new Notification { At = clock.GetUtcNow(), Role = role, Message = message, Link = link, IsError = isError });
        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
    }

    /// <summary>
    /// Adds a notification to <paramref name="db"/>'s pending changes, so it is saved in the same transaction as the change it
    /// announces (nobody sees the change without its notification). Call <see cref="Announce"/> once saved.
    /// </summary>
    public void Add(EasyConnectDbContext db, string role, string message, string? link = null, bool isError = false)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.Notifications.Add(new Notification { At = clock.GetUtcNow(), Role = role, Message = message, Link = link, IsError = isError });
    }

    /// <summary>Tells open pages that notifications changed (after <see cref="Add"/>'s changes were saved).</summary>
    public void Announce() => Changed?.Invoke();

    /// <summary>Notifications not yet dismissed for any of the roles, newest first.</summary>
    public async Task<IReadOnlyList<Notification>> ListOpenAsync(IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.AsNoTracking()
            .Where(n => roles.Contains(n.Role) && n.DismissedAt == null)
            .OrderByDescending(n => n.At).Take(50)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Dismisses a notification for everyone of its role.</summary>
    public async Task DismissAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Notifications.Where(n => n.Id == id).ExecuteUpdateAsync(u => u.SetProperty(n => n.DismissedAt, clock.GetUtcNow()), cancellationToken);
        Changed?.Invoke();
    }
}
