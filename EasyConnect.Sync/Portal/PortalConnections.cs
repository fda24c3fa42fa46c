using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Jobs;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Portal.Zendesk;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.Portal;

/// <summary>What an admin typed into the portal connection form.</summary>
public sealed record PortalConnectionDraft(string BaseUrl, string Email, string ApiToken, long? ClusterIdFieldId);

/// <summary>Outcome of Test connection or Connect for the portal.</summary>
public sealed record PortalConnectResult(IReadOnlyList<PortalCheckItem> Items, PortalConnection? Connection, string? Error)
{
    /// <summary>Whether every check passed.</summary>
    public bool Passed => Items.Count > 0 && Items.All(i => i.Passed);
}

/// <summary>Gives the client of the active portal connection.</summary>
public interface IPortalClientProvider
{
    /// <summary>The active portal connection and its client, or null when no portal is connected.</summary>
    Task<(PortalConnection Connection, IPortalClient Client)?> GetActiveAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Tests, saves and disconnects the Support Portal connection. The API token is encrypted at rest,
/// never shown back or logged; every change is audited with the token masked.
/// </summary>
public sealed class PortalConnections(
    IDbContextFactory<EasyConnectDbContext> dbFactory,
    ZendeskClientFactory factory,
    ConnectionSecrets secrets,
    AuditLog audit,
    RecurringJobSchedule jobs,
    IOptionsMonitor<ConnectionTestOptions> testOptions,
    TimeProvider clock) : IPortalClientProvider
{
    private const string TokenName = "apiToken";

    /// <summary>The active portal connection, if any.</summary>
    public async Task<PortalConnection?> GetActiveAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PortalConnections.AsNoTracking().SingleOrDefaultAsync(c => c.State == ConnectionState.Active, cancellationToken);
    }

    /// <summary>Whether the stored API token of <paramref name="connection"/> can still be decrypted (false after the key-encryption certificate was lost or replaced).</summary>
    public bool TokenReadable(PortalConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return secrets.CanRead(connection.ProtectedToken);
    }

    /// <summary>Checks authentication and what the sync needs, saving nothing.</summary>
    public Task<IReadOnlyList<PortalCheckItem>> TestAsync(PortalConnectionDraft draft, CancellationToken cancellationToken = default) =>
        TestAsync(draft, null, cancellationToken);

    /// <summary>
    /// Checks authentication and what the sync needs, saving nothing, within <see cref="ConnectionTestOptions.TestTimeoutSeconds"/>:
    /// past it, the check that was waiting for the portal says so and the rest are not run. <paramref name="progress"/> gets every
    /// check as it starts and ends. Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<IReadOnlyList<PortalCheckItem>> TestAsync(
        PortalConnectionDraft draft, IProgress<IReadOnlyList<PortalCheckItem>>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var tooLong = TextLimit.Check(draft.BaseUrl, PortalConnection.BaseUrlMaxLength, "portal address")
            ?? TextLimit.Check(draft.Email, PortalConnection.EmailMaxLength, "agent email")
            ?? TextLimit.Check(draft.ApiToken, PortalConnection.ApiTokenMaxLength, "API token");
        if (tooLong is not null)
        {
            return Report([new PortalCheckItem("Settings", false, tooLong)]);
        }

        IPortalClient client;
        try
        {
            client = factory.Create(Settings(draft));
        }
        catch (PortalException e)
        {
            return Report([new PortalCheckItem("Settings", false, e.Message)]);
        }

        var seconds = testOptions.CurrentValue.TestTimeoutSeconds;
        return await ConnectionTestRun.RunAsync<PortalCheckItem>(
            client.TestConnectionAsync, PortalCheckItem.Of,
            $"The portal did not answer within {seconds} s. Check the portal address, and that no firewall or proxy blocks or holds the connection from EasyConnect to it.",
            TimeSpan.FromSeconds(seconds), clock, progress, cancellationToken);

        IReadOnlyList<PortalCheckItem> Report(IReadOnlyList<PortalCheckItem> items)
        {
            progress?.Report(items);
            return items;
        }
    }

    /// <summary>Tests the draft and saves it as the active portal connection when every check passes; nothing is saved otherwise.</summary>
    public Task<PortalConnectResult> ConnectAsync(PortalConnectionDraft draft, string actor, CancellationToken cancellationToken = default) =>
        ConnectAsync(draft, actor, null, cancellationToken);

    /// <summary>
    /// <see cref="ConnectAsync(PortalConnectionDraft, string, CancellationToken)"/>, reporting the test's checks as they go. Cancelled
    /// during the test, it throws <see cref="OperationCanceledException"/> and saves nothing; once saving has begun it finishes.
    /// </summary>
    public async Task<PortalConnectResult> ConnectAsync(
        PortalConnectionDraft draft, string actor, IProgress<IReadOnlyList<PortalCheckItem>>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var items = await TestAsync(draft, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        // Past this point the admin's cancel no longer applies: a save cut between the row and its jobs would leave a half-made change.
        cancellationToken = CancellationToken.None;
        var failed = items.FirstOrDefault(i => !i.Passed);
        if (failed is not null || items.Count == 0)
        {
            return new(items, null, $"Nothing was saved: {failed?.Name ?? "the test"} failed — {failed?.Message}");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var current = await db.PortalConnections.SingleOrDefaultAsync(c => c.State == ConnectionState.Active, cancellationToken);
        var sameAccount = current is not null && string.Equals(current.BaseUrl, draft.BaseUrl.Trim().TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
        if (current is not null && !sameAccount)
        {
            current.State = ConnectionState.Disconnected;
            current.ProtectedToken = null;
            current.DisconnectedAt = clock.GetUtcNow();
        }

        var connection = sameAccount ? current! : new PortalConnection { Id = Guid.NewGuid(), State = ConnectionState.Active, CreatedAt = clock.GetUtcNow(), CreatedBy = actor };
        connection.BaseUrl = draft.BaseUrl.Trim().TrimEnd('/');
        connection.Email = draft.Email.Trim();
        connection.ClusterIdFieldId = draft.ClusterIdFieldId ?? 0;
        connection.ProtectedToken = secrets.Protect(new Dictionary<string, string> { [TokenName] = draft.ApiToken.Trim() });
        if (!sameAccount)
        {
            if (current is not null)
            {
                // The new account's tickets are not the old one's: start its export from scratch.
                await db.SaveChangesAsync(cancellationToken);
            }

            db.PortalConnections.Add(connection);
        }

        audit.Add(db, actor, sameAccount ? "Portal credentials updated" : "Portal connected", connection.BaseUrl,
            $"email={connection.Email}, apiToken={ConnectionSecrets.Mask(draft.ApiToken)}, ClusterID field={connection.ClusterIdFieldId}");
        await db.SaveChangesAsync(cancellationToken);
        await jobs.SettingsChangedAsync(cancellationToken);
        return new(items, connection, null);
    }

    /// <summary>Disconnects the portal: the ticket sync stops and the token is deleted.</summary>
    public async Task<bool> DisconnectAsync(string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.PortalConnections.SingleOrDefaultAsync(c => c.State == ConnectionState.Active, cancellationToken);
        if (active is null)
        {
            return false;
        }

        active.State = ConnectionState.Disconnected;
        active.ProtectedToken = null;
        active.DisconnectedAt = clock.GetUtcNow();
        audit.Add(db, actor, "Portal disconnected", active.BaseUrl, "token deleted; ticket sync stopped");
        await db.SaveChangesAsync(cancellationToken);
        await jobs.SettingsChangedAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    async Task<(PortalConnection Connection, IPortalClient Client)?> IPortalClientProvider.GetActiveAsync(CancellationToken cancellationToken)
    {
        var active = await GetActiveAsync(cancellationToken);
        if (active?.ProtectedToken is null)
        {
            return null;
        }

        var token = secrets.Unprotect(active.ProtectedToken)[TokenName];
        return (active, factory.Create(new ZendeskConnectionSettings
        {
            BaseUrl = active.BaseUrl, Email = active.Email, ApiToken = token, ClusterIdFieldId = active.ClusterIdFieldId == 0 ? null : active.ClusterIdFieldId,
        }));
    }

    private static ZendeskConnectionSettings Settings(PortalConnectionDraft draft) => new()
    {
        BaseUrl = draft.BaseUrl.Trim(), Email = draft.Email.Trim(), ApiToken = draft.ApiToken.Trim(), ClusterIdFieldId = draft.ClusterIdFieldId,
    };
}
