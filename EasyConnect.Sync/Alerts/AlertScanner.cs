using EasyConnect.Sync.Notifications;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Users;
using Medallion.Threading.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Sync.Alerts;

/// <summary>What one scan did.</summary>
public sealed record AlertScanResult(int NewEvents, int Sent, int HeldForDigest, bool DigestSent);

/// <summary>
/// Turns what went wrong since the last scan (failed runs, newly held tickets, refused credentials) into notifications under the
/// bell and alerts by e-mail and webhook: the first alert of a cause (per connection) goes out at once, repeats within the hour wait
/// for the daily digest. Runs every minute as a recurring job; one process at a time (a PostgreSQL lock), so two servers never send
/// the same alert twice.
/// </summary>
public sealed class AlertScanner(
    IDbContextFactory<EasyConnectDbContext> dbFactory,
    AlertSettingsStore settingsStore,
    AlertSender sender,
    NotificationCenter notifications,
    TimeProvider clock,
    ILogger<AlertScanner> logger)
{
    /// <summary>At most one alert per cause and connection in this time; the rest wait for the digest.</summary>
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromHours(1);

    /// <summary>Scans once; returns null when another process is scanning.</summary>
    public async Task<AlertScanResult?> RunAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connectionString = db.Database.GetConnectionString() ?? throw new InvalidOperationException("The EasyConnect database has no connection string.");
        await using var handle = await new PostgresDistributedLock(new PostgresAdvisoryLockKey("easyconnect-alerts", allowHashing: true), connectionString)
            .TryAcquireAsync(TimeSpan.Zero, cancellationToken);
        if (handle is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var settings = await db.AlertSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new AlertSettings { UpdatedAt = now, UpdatedBy = "system" };
            db.AlertSettings.Add(settings);
        }

        if (settings.ScannedUntil is not { } from)
        {
            // The first scan starts from now: history from before alerts existed is no news.
            settings.ScannedUntil = now;
            await db.SaveChangesAsync(cancellationToken);
            return new AlertScanResult(0, 0, 0, false);
        }

        var events = await FindAsync(db, from, now, cancellationToken);
        foreach (var e in events)
        {
            db.AlertEvents.Add(e);
            foreach (var role in RolesFor(e.Cause))
            {
                notifications.Add(db, role, e.Title, e.Link, isError: true);
            }
        }

        settings.ScannedUntil = now;
        await db.SaveChangesAsync(cancellationToken);
        if (events.Count > 0)
        {
            notifications.Announce();
        }

        var destination = settingsStore.Destination(settings);
        var (sent, held) = await SendNewAsync(db, events, destination, now, cancellationToken);
        // Saved before the digest reads what is still waiting: an alert that just went out must not go out again in it.
        await db.SaveChangesAsync(CancellationToken.None);
        var digest = await SendDigestAsync(db, settings, destination, now, cancellationToken);
        await db.SaveChangesAsync(CancellationToken.None);
        return new AlertScanResult(events.Count, sent, held, digest);
    }

    /// <summary>Sends a test message with the form's values (the stored secrets where the form leaves them blank).</summary>
    public async Task<IReadOnlyList<AlertDelivery>> SendTestAsync(AlertSettingsInput input, string actor, CancellationToken cancellationToken)
    {
        var destination = await settingsStore.DestinationAsync(input, cancellationToken);
        if (!destination.AnyChannel)
        {
            return [new AlertDelivery("Alerts", false, "Turn on e-mail or the webhook first.")];
        }

        var message = new AlertMessage("test message", [
            $"{actor} sent this test from the Notifications page at {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC.",
            "Alerts arrive here when a sync run fails, tickets are newly held or the PSA or portal refuses EasyConnect's credentials.",
            $"Open EasyConnect: {destination.Link("/notifications")}",
        ]);
        return await sender.SendAsync(destination, message, cancellationToken);
    }

    private static async Task<List<AlertEvent>> FindAsync(EasyConnectDbContext db, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var connections = await db.PsaConnections.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.DisplayName, ct);
        string Name(Guid id) => connections.TryGetValue(id, out var name) ? name : "a removed PSA connection";
        var events = new List<AlertEvent>();

        var failed = await db.SyncRuns.AsNoTracking()
            .Where(r => r.Status == SyncRunStatus.Failed && r.FinishedAt > from && r.FinishedAt <= to)
            .OrderBy(r => r.FinishedAt).ToListAsync(ct);
        foreach (var run in failed)
        {
            var credentials = AlertWording.IsCredentialFailure(run);
            events.Add(new AlertEvent
            {
                At = run.FinishedAt ?? to,
                Cause = credentials ? AlertCause.CredentialsRefused : AlertCause.RunFailed,
                ConnectionId = run.ConnectionId,
                Title = credentials
                    ? $"Credentials refused: the {AlertWording.Run(run.Kind)} of {Name(run.ConnectionId)} could not sign in"
                    : $"The {AlertWording.Run(run.Kind)} of {Name(run.ConnectionId)} failed",
                Text = AlertWording.Clip(run.Message ?? "The run ended without saying why; see its details on the Sync runs page.", 3000),
                Link = credentials ? "/integration" : "/sync-runs",
            });
        }

        var held = await db.TicketLinks.AsNoTracking()
            .Where(l => l.HeldReason != null && l.HeldSince > from && l.HeldSince <= to)
            .OrderBy(l => l.HeldSince)
            .Select(l => new { l.ConnectionId, l.PortalTicketId, l.PortalSubject, l.HeldReason, l.HeldSince })
            .ToListAsync(ct);
        foreach (var group in held.GroupBy(h => h.ConnectionId))
        {
            var list = group.ToList();
            var lines = list.Take(5).Select(h => $"#{h.PortalTicketId} {AlertWording.Clip(h.PortalSubject, 80)}: {h.HeldReason}");
            events.Add(new AlertEvent
            {
                At = list[^1].HeldSince ?? to,
                Cause = AlertCause.TicketsHeld,
                ConnectionId = group.Key,
                Title = list.Count == 1
                    ? $"Ticket #{list[0].PortalTicketId} is held and does not sync"
                    : $"{list.Count} tickets are newly held and do not sync",
                Text = AlertWording.Clip(string.Join("\n", lines) + (list.Count > 5 ? $"\n… and {list.Count - 5} more." : ""), 3000),
                Link = list.Count == 1 ? $"/tickets/{Uri.EscapeDataString(list[0].PortalTicketId)}" : "/tickets?filter=held",
            });
        }

        return events;
    }

    private async Task<(int Sent, int Held)> SendNewAsync(EasyConnectDbContext db, List<AlertEvent> events, AlertDestination destination, DateTimeOffset now, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return (0, 0);
        }

        if (!destination.AnyChannel)
        {
            // Nowhere to send: the bell has them; a digest later would only repeat old news.
            foreach (var e in events)
            {
                e.DigestedAt = now;
                e.SendError = "no alert channel was on";
            }

            return (0, 0);
        }

        var since = now - RepeatWindow;
        var recent = await db.AlertEvents.AsNoTracking().Where(e => e.SentAt > since).Select(e => new { e.Cause, e.ConnectionId }).ToListAsync(ct);
        var spent = recent.Select(r => (r.Cause, r.ConnectionId)).ToHashSet();
        int sent = 0, held = 0;
        foreach (var e in events)
        {
            if (!spent.Add((e.Cause, e.ConnectionId)))
            {
                held++;
                continue;
            }

            var deliveries = await sender.SendAsync(destination, Message(e, destination), ct);
            if (deliveries.Any(d => d.Sent))
            {
                e.SentAt = now;
                sent++;
            }

            var failures = deliveries.Where(d => !d.Sent).Select(d => $"{d.Channel}: {d.Message}").ToList();
            e.SendError = failures.Count == 0 ? null : AlertWording.Clip(string.Join(" ", failures), 2000);
        }

        logger.LogInformation("Alerts: {New} new, {Sent} sent, {Held} held back for the daily digest as repeats", events.Count, sent, held);
        return (sent, held);
    }

    private async Task<bool> SendDigestAsync(EasyConnectDbContext db, AlertSettings settings, AlertDestination destination, DateTimeOffset now, CancellationToken ct)
    {
        var dueAt = new DateTimeOffset(now.UtcDateTime.Date.AddHours(settings.DigestHourUtc), TimeSpan.Zero);
        if (!destination.AnyChannel || now < dueAt || settings.LastDigestAt >= dueAt)
        {
            return false;
        }

        var waiting = await db.AlertEvents.Where(e => e.SentAt == null && e.DigestedAt == null).OrderBy(e => e.At).ToListAsync(ct);
        settings.LastDigestAt = now;
        if (waiting.Count == 0)
        {
            return false;
        }

        var lines = new List<string> { $"{waiting.Count} alert{(waiting.Count == 1 ? "" : "s")} since the last digest that did not go out on their own (repeats within an hour, or a channel that failed):" };
        lines.AddRange(waiting.Take(50).Select(e => $"{e.At:yyyy-MM-dd HH:mm} UTC — {e.Title}. {destination.Link(e.Link)}"));
        if (waiting.Count > 50)
        {
            lines.Add($"… and {waiting.Count - 50} more: see the notification bell and the Sync runs page.");
        }

        var deliveries = await sender.SendAsync(destination, new AlertMessage($"daily digest, {waiting.Count} alert{(waiting.Count == 1 ? "" : "s")}", lines), ct);
        if (deliveries.Any(d => d.Sent))
        {
            foreach (var e in waiting)
            {
                e.DigestedAt = now;
            }

            return true;
        }

        return false;
    }

    private static AlertMessage Message(AlertEvent e, AlertDestination destination) => new(e.Title, [
        .. e.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries),
        $"{AlertWording.FixHint(e.Cause)}: {destination.Link(e.Link)}",
    ]);

    private static IEnumerable<string> RolesFor(AlertCause cause) => cause switch
    {
        AlertCause.CredentialsRefused => [Roles.Admin],
        AlertCause.TicketsHeld => [Roles.Admin, Roles.Technician],
        _ => [Roles.Admin, Roles.Support],
    };
}

/// <summary>The words of alerts.</summary>
internal static class AlertWording
{
    /// <summary>A run kind as a sentence says it.</summary>
    public static string Run(SyncRunKind kind) => kind switch
    {
        SyncRunKind.Full => "full mirror sync",
        SyncRunKind.Incremental => "incremental mirror sync",
        _ => "ticket sync",
    };

    /// <summary>Whether a failed run failed because the credentials were refused.</summary>
    public static bool IsCredentialFailure(SyncRun run) => run.FailureCause == RunFailureCause.Credentials;

    /// <summary>What the link at the end of an alert does.</summary>
    public static string FixHint(AlertCause cause) => cause switch
    {
        AlertCause.CredentialsRefused => "Enter working keys on the Integration page",
        AlertCause.TicketsHeld => "See why and fix the mapping",
        _ => "See the run",
    };

    /// <summary>At most <paramref name="max"/> characters, with an ellipsis when cut.</summary>
    public static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
