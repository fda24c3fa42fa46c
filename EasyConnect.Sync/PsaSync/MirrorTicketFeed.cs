using EasyConnect.Sync.Psa;
using Medallion.Threading;
using Medallion.Threading.Postgres;
using Npgsql;

namespace EasyConnect.Sync.PsaSync;

/// <summary>
/// The ticket sync's read of changed PSA tickets, handed on to the mirror's ticket rows, so that one read per cycle serves both
/// (docs/psa-mirror.md). The ticket sync reads changed tickets every few minutes anyway, and starts its read no later than the mirror's
/// incremental read would; each page it reads is upserted into the mirror (only rows that changed are written) and the mirror's
/// ticket cursor moves to the newest row read. An incremental mirror run then leaves tickets out while the ticket sync is on and has
/// fed them recently. The feed holds the mirror's lock while it writes, so it never races a full run's deletion; when a mirror run
/// holds the lock the feed stands aside, the mirror's cursor stays, and the next feed reads from there.
/// </summary>
internal sealed class MirrorTicketFeed : IAsyncDisposable
{
    /// <summary>How recently the ticket sync must have fed the mirror for an incremental mirror run to leave tickets to it.</summary>
    internal static readonly TimeSpan FreshFor = TimeSpan.FromMinutes(15);

    private readonly IDistributedSynchronizationHandle _lock;
    private readonly MirrorWriter _writer;
    private RowKey _cursor;

    private MirrorTicketFeed(IDistributedSynchronizationHandle handle, MirrorWriter writer, RowKey cursor, DateTimeOffset readFrom)
    {
        _lock = handle;
        _writer = writer;
        _cursor = cursor;
        ReadFrom = readFrom;
    }

    /// <summary>Where the mirror's own incremental read of tickets would start: the ticket sync reads from here or earlier.</summary>
    public DateTimeOffset ReadFrom { get; }

    /// <summary>The rows written to the mirror.</summary>
    public int Upserted { get; private set; }

    /// <summary>
    /// Opens the feed for one read; null when a mirror run holds the connection's lock or the mirror has not read tickets yet (its first
    /// full run does that).
    /// </summary>
    public static async Task<MirrorTicketFeed?> OpenAsync(
        string connectionString, Guid connectionId, Guid runId, PsaSyncOptions options, CancellationToken cancellationToken)
    {
        var handle = await new PostgresDistributedLock(PsaSyncEngine.LockKey(connectionId), connectionString).TryAcquireAsync(TimeSpan.Zero, cancellationToken);
        if (handle is null)
        {
            return null;
        }

        try
        {
            RowKey cursor;
            DateTimeOffset movedAt;
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand(
                    "SELECT last_modified, last_id, updated_at FROM psa_sync_cursors WHERE connection_id = @connection AND entity = @entity", connection);
                command.Parameters.AddWithValue("connection", connectionId);
                command.Parameters.AddWithValue("entity", PsaEntity.Tickets.ToString());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    await handle.DisposeAsync();
                    return null;
                }

                cursor = new RowKey(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1));
                movedAt = reader.GetFieldValue<DateTimeOffset>(2);
            }

            var writer = await MirrorWriter.OpenAsync(connectionString, MirrorTables.Tickets, connectionId, runId, cancellationToken, onlyChanged: true);
            return new MirrorTicketFeed(handle, writer, cursor, PsaSyncEngine.ReadFrom(cursor.LastModified, movedAt, options));
        }
        catch
        {
            await handle.DisposeAsync();
            throw;
        }
    }

    /// <summary>Upserts one page of the read into the mirror (rows whose content did not change are not written).</summary>
    public async Task UpsertAsync(IReadOnlyList<IPsaRecord> page, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var row in page)
        {
            _cursor = RowKey.Max(_cursor, RowKey.Of(row))!.Value;
        }

        Upserted += await _writer.UpsertAsync(page, now, null, cancellationToken);
    }

    /// <summary>
    /// The whole read is done: the mirror's cursor moves to the newest row read, and records when the tickets were last read, even
    /// when nothing changed (that is what tells an incremental mirror run that the ticket sync keeps them).
    /// </summary>
    public Task FinishAsync(DateTimeOffset now, CancellationToken cancellationToken) => _writer.SetCursorAsync(_cursor, now, cancellationToken);

    /// <summary>Whether an incremental mirror run leaves tickets to the ticket sync: it is switched on and fed them recently.</summary>
    public static bool FeedsTheMirror(bool ticketSyncEnabled, DateTimeOffset cursorMovedAt, DateTimeOffset now) =>
        ticketSyncEnabled && now - cursorMovedAt < FreshFor;

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _lock.DisposeAsync();
    }
}
