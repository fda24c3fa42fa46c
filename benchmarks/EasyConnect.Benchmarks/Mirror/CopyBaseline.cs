using System.Diagnostics;
using Npgsql;

namespace EasyConnect.Benchmarks.Mirror;

/// <summary>
/// The bound the mirror is measured against: the same rows, already in memory, written by one plain binary COPY in one
/// transaction into a fresh table like the mirror's (same columns, keys and indexes).
/// </summary>
internal static class CopyBaseline
{
    private const string Target = "benchmark_copy_baseline";

    public static async Task<(long Rows, TimeSpan Elapsed)> RunAsync(string connectionString, string sourceTable, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {Target}; CREATE TABLE {Target} (LIKE {sourceTable} INCLUDING ALL)", cancellationToken);

        var (columns, types, rows) = await ReadAllAsync(connection, sourceTable, cancellationToken);
        GC.Collect();
        var started = Stopwatch.GetTimestamp();
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var import = await connection.BeginBinaryImportAsync($"COPY {Target} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (var row in rows)
                {
                    await import.StartRowAsync(cancellationToken);
                    for (var i = 0; i < row.Length; i++)
                    {
                        if (row[i] is DBNull)
                        {
                            await import.WriteNullAsync(cancellationToken);
                        }
                        else
                        {
                            await import.WriteAsync(row[i], types[i], cancellationToken);
                        }
                    }
                }

                await import.CompleteAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        await ExecuteAsync(connection, $"DROP TABLE {Target}", cancellationToken);
        return (rows.Count, elapsed);
    }

    private static async Task<(string[] Columns, string[] Types, List<object[]> Rows)> ReadAllAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT * FROM {table}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var types = Enumerable.Range(0, reader.FieldCount).Select(reader.GetDataTypeName).ToArray();
        var rows = new List<object[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }

        return (columns, types, rows);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
