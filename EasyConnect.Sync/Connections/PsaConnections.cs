using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Jobs;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.Connections;

/// <summary>What an admin typed into a connection form: every field, secrets included, by name.</summary>
public sealed record ConnectionDraft(PsaKind Kind, IReadOnlyDictionary<string, string> Values);

/// <summary>A PSA product the Integration page offers, and whether it can be connected yet (false: shown as coming).</summary>
public sealed record PsaProductOffer(PsaProduct Product, bool Connectable);

/// <summary>Outcome of Test connection: one line per check, and which instance answered.</summary>
public sealed record ConnectionTestResult(IReadOnlyList<PsaCheckItem> Items, PsaInstanceIdentity? Identity)
{
    /// <summary>Whether every check passed.</summary>
    public bool Succeeded => Items.Count > 0 && Items.All(i => i.Passed);
}

/// <summary>Outcome of Connect: the saved connection, or why nothing was saved.</summary>
public sealed record ConnectionSaveResult(PsaConnection? Connection, ConnectionTestResult? Test, string? Error)
{
    /// <summary>Whether the connection was saved.</summary>
    public bool Succeeded => Connection is not null;
}

/// <summary>
/// Tests, saves and disconnects PSA connections. Secrets are encrypted at rest and never logged or
/// shown back; every change is audited with secrets masked. A different PSA instance cannot replace
/// the current one outside the instance-change workflow.
/// </summary>
public sealed class PsaConnections(
    IDbContextFactory<EasyConnectDbContext> dbFactory,
    IEnumerable<IPsaClientFactory> factories,
    ConnectionSecrets secrets,
    AuditLog audit,
    RecurringJobSchedule jobs,
    IBackgroundJobClient backgroundJobs,
    IEnumerable<IPsaConnectionListener> listeners,
    IOptionsMonitor<ConnectionTestOptions> testOptions,
    TimeProvider clock,
    ILogger<PsaConnections> logger,
    ApiBudgetGovernor budgets) : IPsaClientProvider
{
    /// <summary>Every PSA product, and whether EasyConnect can connect to it yet (its client is registered).</summary>
    public IReadOnlyList<PsaProductOffer> Products() =>
        PsaProducts.All.Select(p => new PsaProductOffer(p, factories.Any(f => f.Kind == p.Kind))).ToList();

    /// <summary>The connection in use, if any.</summary>
    public async Task<PsaConnection?> GetActiveAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PsaConnections.AsNoTracking().SingleOrDefaultAsync(c => c.State == ConnectionState.Active, cancellationToken);
    }

    /// <summary>Whether the stored keys of <paramref name="connection"/> can still be decrypted (false after the key-encryption certificate was lost or replaced).</summary>
    public bool KeysReadable(PsaConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return secrets.CanRead(connection.ProtectedSecrets);
    }

    /// <summary>Every connection, newest first.</summary>
    public async Task<IReadOnlyList<PsaConnection>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PsaConnections.AsNoTracking().OrderByDescending(c => c.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>Checks authentication and each permission the sync needs, without saving anything.</summary>
    public Task<ConnectionTestResult> TestAsync(ConnectionDraft draft, CancellationToken cancellationToken = default) =>
        TestAsync(draft, null, cancellationToken);

    /// <summary>
    /// Checks authentication and each permission the sync needs, without saving anything, within
    /// <see cref="ConnectionTestOptions.TestTimeoutSeconds"/>: past it, the check that was waiting for the PSA says so and the
    /// rest are not run. <paramref name="progress"/> gets every check as it starts and ends.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<ConnectionTestResult> TestAsync(ConnectionDraft draft, IProgress<IReadOnlyList<PsaCheckItem>>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var tooLong = draft.Values.Select(v => TextLimit.Check(v.Value, PsaConnection.FieldMaxLength, $"{v.Key} setting")).FirstOrDefault(m => m is not null);
        if (tooLong is not null)
        {
            return Report(new([new PsaCheckItem("Settings", false, tooLong)], null));
        }

        // The test's client is temporary: its limiters go with it.
        var key = $"test:{Guid.NewGuid():N}";
        try
        {
            IPsaClient client;
            try
            {
                client = Factory(draft.Kind).Create(Trimmed(draft.Values), key);
            }
            catch (Exception e) when (e is ArgumentException or PsaException or UriFormatException)
            {
                return Report(new([new PsaCheckItem("Settings", false, e.Message)], null));
            }

            var seconds = testOptions.CurrentValue.TestTimeoutSeconds;
            var items = await ConnectionTestRun.RunAsync<PsaCheckItem>(
                client.TestConnectionAsync, PsaCheckItem.Of,
                $"{PsaProducts.NameOf(client.Kind)} did not answer within {seconds} s. Check the site address, and that no firewall or proxy blocks or holds the connection from EasyConnect to it.",
                TimeSpan.FromSeconds(seconds), clock, progress, cancellationToken);
            return new(items, client.Identity);
        }
        finally
        {
            budgets.Release(key);
        }

        ConnectionTestResult Report(ConnectionTestResult result)
        {
            progress?.Report(result.Items);
            return result;
        }
    }

    /// <summary>
    /// Tests the draft and, when authentication and permissions pass, saves it as the active connection
    /// (or updates the keys of the active one when it is the same instance). Nothing is saved otherwise.
    /// </summary>
    public Task<ConnectionSaveResult> ConnectAsync(ConnectionDraft draft, string actor, CancellationToken cancellationToken = default) =>
        ConnectAsync(draft, actor, null, cancellationToken);

    /// <summary>
    /// <see cref="ConnectAsync(ConnectionDraft, string, CancellationToken)"/>, reporting the test's checks as they go. Cancelled
    /// during the test, it throws <see cref="OperationCanceledException"/> and saves nothing; once saving has begun it finishes.
    /// </summary>
    public async Task<ConnectionSaveResult> ConnectAsync(
        ConnectionDraft draft, string actor, IProgress<IReadOnlyList<PsaCheckItem>>? progress, CancellationToken cancellationToken)
    {
        var test = await TestAsync(draft, progress, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        // Past this point the admin's cancel no longer applies: a save cut between the row and its jobs would leave a connection that never syncs.
        cancellationToken = CancellationToken.None;
        if (!test.Succeeded || test.Identity is null)
        {
            var failed = test.Items.FirstOrDefault(i => !i.Passed);
            return new(null, test, $"Nothing was saved: {failed?.Name ?? "the test"} failed — {failed?.Message}");
        }

        if (test.Identity.Key.Length > PsaConnection.InstanceKeyMaxLength || test.Identity.DisplayName.Length > PsaConnection.DisplayNameMaxLength)
        {
            return new(null, test, $"Nothing was saved: the PSA instance's name is longer than {PsaConnection.DisplayNameMaxLength} characters.");
        }

        var secretNames = PsaProducts.Get(draft.Kind).SecretNames;
        var values = Trimmed(draft.Values);
        var plain = values.Where(v => !secretNames.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value);
        var secret = values.Where(v => secretNames.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var current = await db.PsaConnections
            .Where(c => c.State == ConnectionState.Active || c.State == ConnectionState.Disconnected || c.State == ConnectionState.CleaningUp)
            .OrderByDescending(c => c.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (current is { State: ConnectionState.CleaningUp })
        {
            return new(null, test, $"Nothing was saved: the data of the previous instance ({current.DisplayName}) is still being cleaned up. " +
                "You will be notified when it is done; then connect again.");
        }

        // Another product is another instance, even were its key to read the same.
        if (current is not null && (current.Kind != draft.Kind || current.InstanceKey != test.Identity.Key))
        {
            var other = current.Kind == draft.Kind
                ? $"a different {PsaProducts.NameOf(draft.Kind)} instance ({test.Identity.DisplayName})"
                : $"another PSA, {PsaProducts.NameOf(draft.Kind)} ({test.Identity.DisplayName})";
            return new(null, test, current.State == ConnectionState.Active
                ? $"Nothing was saved: this is {other}, not the connected {PsaProducts.NameOf(current.Kind)} instance ({current.DisplayName}). " +
                  "Mixing two instances would mix their companies, members and tickets. To move to another instance, use Change instance: " +
                  "disconnect, clean up or archive the old instance's data, then connect the new one."
                : $"Nothing was saved: the data of the previous instance ({current.DisplayName}) is still in EasyConnect. " +
                  "Clean it up or archive it first (Change instance, step 2), then connect the new instance.");
        }

        var now = clock.GetUtcNow();
        string action;
        if (current is { State: ConnectionState.Active })
        {
            current.Settings = plain;
            current.ProtectedSecrets = secrets.Protect(secret);
            current.DisplayName = test.Identity.DisplayName;
            action = "PSA credentials updated";
        }
        else
        {
            if (current is not null)
            {
                // Reconnecting the same instance after a disconnect: a new connection, so its first sync is a full one.
                current.State = ConnectionState.Archived;
            }

            current = new PsaConnection
            {
                Id = Guid.NewGuid(),
                Kind = draft.Kind,
                InstanceKey = test.Identity.Key,
                DisplayName = test.Identity.DisplayName,
                State = ConnectionState.Active,
                Settings = plain,
                ProtectedSecrets = secrets.Protect(secret),
                CreatedAt = now,
                CreatedBy = actor,
            };
            db.PsaConnections.Add(current);
            action = "PSA connected";
        }

        audit.Add(db, actor, action, $"{draft.Kind} {test.Identity.DisplayName}",
            string.Join(", ", values.OrderBy(v => v.Key).Select(v => $"{v.Key}={(secretNames.Contains(v.Key) ? ConnectionSecrets.Mask(v.Value) : v.Value)}")));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("{Action}: {Kind} {Instance} by {Actor}", action, draft.Kind, test.Identity.DisplayName, actor);
        await jobs.SettingsChangedAsync(cancellationToken);
        if (action == "PSA connected")
        {
            foreach (var listener in listeners)
            {
                await listener.OnConnectedAsync(current, actor, cancellationToken);
            }
        }

        return new(current, test, null);
    }

    /// <summary>Disconnects the active connection: its jobs stop and its credentials are deleted; its mirrored data stays until cleaned up.</summary>
    public async Task<bool> DisconnectAsync(string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.PsaConnections.SingleOrDefaultAsync(c => c.State == ConnectionState.Active, cancellationToken);
        if (active is null)
        {
            return false;
        }

        active.State = ConnectionState.Disconnected;
        active.ProtectedSecrets = null;
        active.DisconnectedAt = clock.GetUtcNow();
        audit.Add(db, actor, "PSA disconnected", $"{active.Kind} {active.DisplayName}", "credentials deleted; sync jobs stopped");
        await db.SaveChangesAsync(cancellationToken);
        budgets.Release(ClientKey(active.Id));
        await jobs.SettingsChangedAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Step 2 of an instance change: deletes a disconnected connection's data in a background job that
    /// reports progress on the connection and notifies the admins when done.
    /// </summary>
    public async Task<bool> StartCleanupAsync(Guid connectionId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = await db.PsaConnections.SingleOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
        if (connection is not { State: ConnectionState.Disconnected })
        {
            return false;
        }

        connection.State = ConnectionState.CleaningUp;
        audit.Add(db, actor, "Clean-up of old PSA data started", $"{connection.Kind} {connection.DisplayName}");
        await db.SaveChangesAsync(cancellationToken);
        backgroundJobs.Enqueue<ConnectionCleanupJob>(job => job.RunAsync(connectionId, CancellationToken.None));
        return true;
    }

    /// <summary>Step 2, the other choice: keeps a disconnected connection's data, read-only and apart from the new instance's.</summary>
    public async Task<bool> ArchiveAsync(Guid connectionId, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = await db.PsaConnections.SingleOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
        if (connection is not { State: ConnectionState.Disconnected })
        {
            return false;
        }

        connection.State = ConnectionState.Archived;
        connection.RetiredAt = clock.GetUtcNow();
        audit.Add(db, actor, "Old PSA data archived", $"{connection.Kind} {connection.DisplayName}", "kept read-only; never synced again");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async Task<IPsaClient> GetClientAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = await db.PsaConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == connectionId, cancellationToken)
            ?? throw new InvalidOperationException($"PSA connection {connectionId} does not exist.");
        if (connection.State != ConnectionState.Active || connection.ProtectedSecrets is null)
        {
            throw new InvalidOperationException($"PSA connection {connection.DisplayName} is {connection.State.ToString().ToLowerInvariant()}; it cannot be used.");
        }

        var values = new Dictionary<string, string>(connection.Settings);
        foreach (var (name, value) in secrets.Unprotect(connection.ProtectedSecrets))
        {
            values[name] = value;
        }

        return Factory(connection.Kind).Create(values, ClientKey(connection.Id));
    }

    /// <summary>The key under which the clients of connection <paramref name="connectionId"/> share their limits and API budget.</summary>
    public static string ClientKey(Guid connectionId) => connectionId.ToString("N");

    private IPsaClientFactory Factory(PsaKind kind) =>
        factories.FirstOrDefault(f => f.Kind == kind) ?? throw new NotSupportedException($"EasyConnect cannot connect to {kind} yet.");

    private static Dictionary<string, string> Trimmed(IReadOnlyDictionary<string, string> values) =>
        values.ToDictionary(v => v.Key, v => (v.Value ?? "").Trim());
}
