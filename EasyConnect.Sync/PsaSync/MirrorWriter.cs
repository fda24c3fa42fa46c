using EasyConnect.Sync.Psa;
using Npgsql;
using NpgsqlTypes;

namespace EasyConnect.Sync.PsaSync;

/// <summary>
/// Writes one entity's pages for one run over one open connection: each page is binary-COPied into a temp
/// table and merged with a single INSERT … ON CONFLICT DO UPDATE, and the cursor moves in the same transaction,
/// so the cursor never runs ahead of what was committed. On a connection's first run of an entity (no row of it
/// stored yet) pages are COPied straight into the table instead, which writes each row once; a row the PSA
/// repeats across pages then fails the COPY on the primary key, and that page and the rest of the run take the
/// merging path.
/// </summary>
internal sealed class MirrorWriter : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly MirrorTable _table;
    private readonly Guid _connectionId;
    private readonly Guid _runId;
    private readonly string _temp;
    private readonly string _copy;
    private readonly string _upsert;
    private readonly string _directCopy;
    private bool _direct;

    private MirrorWriter(NpgsqlConnection connection, MirrorTable table, Guid connectionId, Guid runId, bool onlyChanged)
    {
        _connection = connection;
        _table = table;
        _connectionId = connectionId;
        _runId = runId;
        _temp = "tmp_" + table.Table;
        var columns = string.Join(", ", table.AllColumns);
        _copy = $"COPY {_temp} ({columns}) FROM STDIN (FORMAT BINARY)";
        var staged = string.Join(", ", table.AllColumns.Select(c => JsonbColumns(table).Contains(c) ? c + "::jsonb" : c));
        var updates = string.Join(", ", table.AllColumns.Skip(2).Select(c => $"{c} = excluded.{c}"));
        // An incremental run re-reads rows it already has (the overlap, a PSA that repeats rows): only a row whose content or stamp
        // changed is written. A full run writes every row, since its run id marks the row as still in the PSA.
        var changed = onlyChanged ? $" WHERE {table.Table}.raw IS DISTINCT FROM excluded.raw OR {table.Table}.last_modified IS DISTINCT FROM excluded.last_modified" : "";
        _upsert = $"INSERT INTO {table.Table} ({columns}) SELECT {staged} FROM {_temp} ON CONFLICT (connection_id, psa_id) DO UPDATE SET {updates}{changed}";
        _directCopy = $"COPY {table.Table} ({columns}) FROM STDIN (FORMAT BINARY)";
    }

    /// <summary>Whether pages still go straight into the table (the first run of this entity for the connection, no repeat seen yet).</summary>
    public bool Direct => _direct;

    /// <summary>Time spent in PostgreSQL (upserts, the full run's count and delete, cursors), for the benchmark.</summary>
    public TimeSpan WriteTime { get; private set; }

    public static async Task<MirrorWriter> OpenAsync(
        string connectionString, MirrorTable table, Guid connectionId, Guid runId, CancellationToken cancellationToken, bool onlyChanged = false)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var writer = new MirrorWriter(connection, table, connectionId, runId, onlyChanged);
        // synchronous_commit off: the mirror can always be read again from the PSA, and rows and cursor commit together, so
        // a commit lost in a PostgreSQL crash only moves the cursor back; page commits need not wait for the disk. The
        // pool's reset (DISCARD ALL) undoes the SET. jsonb is staged as text, so PostgreSQL parses each document once, in the upsert.
        var asText = string.Join(", ", JsonbColumns(table).Select(c => $"ALTER COLUMN {c} TYPE text"));
        await writer.ExecuteAsync(
            $"SET synchronous_commit = off; CREATE TEMP TABLE IF NOT EXISTS {writer._temp} (LIKE {table.Table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS; " +
            $"ALTER TABLE {writer._temp} {asText}",
            null, cancellationToken);
        await using (var empty = new NpgsqlCommand($"SELECT NOT EXISTS (SELECT 1 FROM {table.Table} WHERE connection_id = @connection)", connection))
        {
            empty.Parameters.AddWithValue("connection", connectionId);
            writer._direct = (bool)(await empty.ExecuteScalarAsync(cancellationToken))!;
        }

        return writer;
    }

    /// <summary>Upserts a page and, when given, moves the cursor in the same transaction; returns the rows written.</summary>
    public async Task<int> UpsertAsync(IReadOnlyList<IPsaRecord> page, DateTimeOffset now, RowKey? cursor, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // ON CONFLICT cannot touch one row twice in a statement; a PSA page can repeat a row modified while it was paged.
        var rows = page.Count < 2 ? page : page.GroupBy(r => r.Id, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
        var written = 0;
        if (rows.Count > 0)
        {
            written = _direct ? await CopyDirectAsync(rows, now, transaction, cancellationToken) : -1;
            if (written < 0)
            {
                await CopyAsync(_copy, rows, now, stagedJsonb: true, cancellationToken);
                written = await ExecuteAsync(_upsert, null, cancellationToken, transaction);
            }
        }

        if (cursor is { } key)
        {
            await SetCursorAsync(key, now, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        WriteTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return written;
    }

    /// <summary>COPies a page straight into the table; -1 (and the page undone) when a row is already there.</summary>
    private async Task<int> CopyDirectAsync(IReadOnlyList<IPsaRecord> rows, DateTimeOffset now, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync("direct", cancellationToken);
        try
        {
            return (int)await CopyAsync(_directCopy, rows, now, stagedJsonb: false, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync("direct", cancellationToken);
            _direct = false;
            return -1;
        }
    }

    private async Task<ulong> CopyAsync(string copy, IReadOnlyList<IPsaRecord> rows, DateTimeOffset now, bool stagedJsonb, CancellationToken cancellationToken)
    {
        var jsonb = stagedJsonb ? NpgsqlDbType.Text : NpgsqlDbType.Jsonb;
        await using var import = await _connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await import.StartRowAsync(cancellationToken);
            await import.WriteAsync(_connectionId, NpgsqlDbType.Uuid, cancellationToken);
            await import.WriteAsync(row.Id, NpgsqlDbType.Text, cancellationToken);
            await import.WriteAsync(row.LastModified.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
            await import.WriteAsync(now.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
            await import.WriteAsync(_runId, NpgsqlDbType.Uuid, cancellationToken);
            await import.WriteAsync(row.Raw.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "{}" : row.Raw.GetRawText(), jsonb, cancellationToken);
            foreach (var column in _table.Columns)
            {
                if (column.Value(row) is { } value)
                {
                    await import.WriteAsync(value, column.Type == NpgsqlDbType.Jsonb ? jsonb : column.Type, cancellationToken);
                }
                else
                {
                    await import.WriteNullAsync(cancellationToken);
                }
            }
        }

        return await import.CompleteAsync(cancellationToken);
    }

    /// <summary>The connection's rows of this entity, and how many of them this run has not seen.</summary>
    public async Task<(int Stored, int Unseen)> CountAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var command = new NpgsqlCommand(
            $"SELECT count(*)::int, (count(*) FILTER (WHERE seen_run_id <> @run))::int FROM {_table.Table} WHERE connection_id = @connection", _connection);
        command.Parameters.AddWithValue("connection", _connectionId);
        command.Parameters.AddWithValue("run", _runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var counts = (reader.GetInt32(0), reader.GetInt32(1));
        WriteTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return counts;
    }

    /// <summary>Ends a full run: deletes the rows it did not see (when allowed) and resets the cursor, in one transaction.</summary>
    public async Task<int> FinishFullAsync(bool delete, RowKey? cursor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
        var deleted = delete
            ? await ExecuteAsync($"DELETE FROM {_table.Table} WHERE connection_id = @connection AND seen_run_id <> @run", null, cancellationToken, transaction)
            : 0;
        if (cursor is { } key)
        {
            await SetCursorAsync(key, now, transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        WriteTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return deleted;
    }

    /// <summary>
    /// The connection's rows of this entity, and how many of them are not in <paramref name="seen"/>: how an incremental run that
    /// reads a whole entity (one without stamps) finds what the PSA no longer has, without rewriting the rows it read unchanged.
    /// </summary>
    public async Task<(int Stored, int Unseen)> CountAsync(IReadOnlyCollection<string> seen, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var command = new NpgsqlCommand(
            $"SELECT count(*)::int, (count(*) FILTER (WHERE psa_id <> ALL(@seen)))::int FROM {_table.Table} WHERE connection_id = @connection", _connection);
        command.Parameters.AddWithValue("connection", _connectionId);
        command.Parameters.AddWithValue("seen", seen.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var counts = (reader.GetInt32(0), reader.GetInt32(1));
        WriteTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return counts;
    }

    /// <summary>Deletes the connection's rows of this entity that are not in <paramref name="seen"/>; returns how many.</summary>
    public Task<int> DeleteUnseenAsync(IReadOnlyCollection<string> seen, CancellationToken cancellationToken) =>
        TimedAsync(() => ExecuteAsync($"DELETE FROM {_table.Table} WHERE connection_id = @connection AND psa_id <> ALL(@ids)",
            c => c.Parameters.AddWithValue("ids", seen.ToArray()), cancellationToken));

    /// <summary>Deletes the connection's rows with these ids (the PSA logged their deletion); returns how many there were.</summary>
    public Task<int> DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? Task.FromResult(0)
            : TimedAsync(() => ExecuteAsync($"DELETE FROM {_table.Table} WHERE connection_id = @connection AND psa_id = ANY(@ids)",
                c => c.Parameters.AddWithValue("ids", ids.ToArray()), cancellationToken));

    private async Task<int> TimedAsync(Func<Task<int>> write)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await write();
        WriteTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return result;
    }

    /// <summary>Moves the cursor on its own (statuses, whose pages are not in one global order, move it once at the end).</summary>
    public async Task SetCursorAsync(RowKey cursor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
        await SetCursorAsync(cursor, now, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private Task<int> SetCursorAsync(RowKey cursor, DateTimeOffset now, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            INSERT INTO psa_sync_cursors (connection_id, entity, last_modified, last_id, updated_at)
            VALUES (@connection, @entity, @modified, @id, @now)
            ON CONFLICT (connection_id, entity) DO UPDATE SET last_modified = excluded.last_modified, last_id = excluded.last_id, updated_at = excluded.updated_at
            """,
            c =>
            {
                c.Parameters.AddWithValue("entity", _table.Entity.ToString());
                c.Parameters.AddWithValue("modified", cursor.LastModified.ToUniversalTime());
                c.Parameters.AddWithValue("id", cursor.Id);
                c.Parameters.AddWithValue("now", now.ToUniversalTime());
            },
            cancellationToken, transaction);

    private async Task<int> ExecuteAsync(string sql, Action<NpgsqlCommand>? parameters, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, _connection, transaction);
        command.Parameters.AddWithValue("connection", _connectionId);
        command.Parameters.AddWithValue("run", _runId);
        parameters?.Invoke(command);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static IEnumerable<string> JsonbColumns(MirrorTable table) =>
        table.Columns.Where(c => c.Type == NpgsqlDbType.Jsonb).Select(c => c.Name).Prepend("raw");
}

/// <summary>A position in the (last modified, id) order the incremental sync reads in.</summary>
internal readonly record struct RowKey(DateTimeOffset LastModified, string Id) : IComparable<RowKey>
{
    public static RowKey Of(IPsaRecord record) => new(record.LastModified, record.Id);

    /// <summary>Ids compare as numbers when both are digits (ConnectWise), as text otherwise.</summary>
    public int CompareTo(RowKey other)
    {
        var byTime = LastModified.CompareTo(other.LastModified);
        if (byTime != 0)
        {
            return byTime;
        }

        if (Id.Length != other.Id.Length && Id.All(char.IsAsciiDigit) && other.Id.All(char.IsAsciiDigit))
        {
            return Id.Length.CompareTo(other.Id.Length);
        }

        return string.CompareOrdinal(Id, other.Id);
    }

    public static RowKey? Max(RowKey? a, RowKey? b) => a is null ? b : b is null ? a : a.Value.CompareTo(b.Value) >= 0 ? a : b;
}
