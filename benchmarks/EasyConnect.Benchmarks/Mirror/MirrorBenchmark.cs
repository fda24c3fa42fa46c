using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using EasyConnect.Benchmarks.Infrastructure;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Benchmarks.Mirror;

/// <summary>
/// A full mirror of the sandbox's configurations through the real engine and ConnectWise client, measured against a
/// plain COPY of the same rows into a comparable table, with API calls against the minimum and peak memory.
/// </summary>
internal sealed class MirrorBenchmark : IBenchmarkCommand
{
    /// <summary>ConnectWise's largest page: the fewest calls a full read can take.</summary>
    private const int MaxPageSize = 1000;

    public string Name => "mirror";

    public string Summary => "full mirror of ConnectWise configurations through PsaSyncEngine vs a plain COPY of the same rows";

    public bool IsBenchmark => true;

    public IReadOnlyList<BenchmarkOption> Options { get; } =
    [
        new("rows", "100,000", "configurations the sandbox holds"),
        new("latency-ms", "0", "latency the sandbox adds to every request"),
    ];

    public async Task<int> RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var rows = arguments.Int("rows", 100_000, 1, 1_000_000);
        var latency = arguments.Int("latency-ms", 0, 0, 10_000);
        var report = new Report(output);
        output.WriteLine($"EasyConnect benchmark: mirror of {rows:N0} configurations");
        report.Line("machine", $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");

        var setup = Stopwatch.StartNew();
        await using var sandbox = await SandboxProcess.StartAsync(rows, latency, cancellationToken);
        report.Line("sandbox (child process)", $"ConnectWise on {sandbox.Site}, latency {latency} ms, seeded in {Report.Seconds(setup.Elapsed)}");
        setup.Restart();
        await using var database = await BenchmarkDatabase.StartAsync(cancellationToken);
        report.Line("database", $"embedded PostgreSQL {database.Version}, {(database.Durable ? "durable (fsync on, the app's default)" : "fsync off")}, started and migrated in {Report.Seconds(setup.Elapsed)}");

        await using var services = MirrorServices.Build(database.ConnectionString, sandbox);
        var engine = services.GetRequiredService<PsaSyncEngine>();
        var connection = await MirrorServices.AddConnectionAsync(database.ConnectionString, sandbox, cancellationToken);

        // The small entities first, as a real run does; it also warms up the engine, the client and the connections.
        var warmUp = await engine.RunAsync(connection,
            new SyncRunRequest(SyncRunKind.Full, Entities: [PsaEntity.Boards, PsaEntity.Statuses, PsaEntity.Priorities, PsaEntity.Members, PsaEntity.Companies, PsaEntity.Tickets]),
            cancellationToken);
        if (warmUp.Status != SyncRunStatus.Succeeded)
        {
            await output.WriteLineAsync($"The warm-up run of the small entities did not succeed ({warmUp.Status}): {warmUp.Message}");
            return 1;
        }

        report.Line("small entities (warm-up)", $"{Report.Count(warmUp.Entities.Sum(e => e.Upserted))} rows of boards, statuses, priorities, members, companies and tickets");

        var first = await MeasureAsync(engine, connection, sandbox, cancellationToken);
        var nightly = await MeasureAsync(engine, connection, sandbox, cancellationToken);
        foreach (var run in new[] { first, nightly })
        {
            if (run.Result.Status != SyncRunStatus.Succeeded || run.Result.For(PsaEntity.Configurations).Upserted != rows)
            {
                await output.WriteLineAsync($"The mirror run did not succeed ({run.Result.Status}, {run.Result.For(PsaEntity.Configurations).Upserted:N0} rows): {run.Result.Message}");
                return 1;
            }
        }

        // The incremental run of every entity right after: an idle PSA, whose rows all carry stamps older than the read.
        await sandbox.ResetRequestsAsync(cancellationToken);
        var quietStarted = Stopwatch.GetTimestamp();
        var quiet = await engine.RunAsync(connection, new SyncRunRequest(SyncRunKind.Incremental), cancellationToken);
        var quietElapsed = Stopwatch.GetElapsedTime(quietStarted);
        var quietRequests = await sandbox.RequestsAsync(cancellationToken);

        var stored = await database.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{connection}'", cancellationToken);
        var (copied, copyTime) = await CopyBaseline.RunAsync(database.ConnectionString, "psa_configurations", cancellationToken);
        var copyRate = copied / copyTime.TotalSeconds;

        report.Heading("Full mirror of configurations (PsaSyncEngine -> ConnectWise client -> HTTP -> PostgreSQL)");
        report.Line("", $"{"first run (empty table)",-28} nightly run (every row present)");
        Both("rows mirrored", r => Report.Count(r.Result.For(PsaEntity.Configurations).Upserted));
        Both("wall time", r => Report.Seconds(r.Elapsed));
        Both("rows/s end to end", r => Report.Rate(rows / r.Elapsed.TotalSeconds));
        Both("of which writing to PostgreSQL", r => Report.Seconds(r.Result.WriteTime));
        Both("upsert rows/s (rows / writing time)", r => Report.Rate(rows / r.Result.WriteTime.TotalSeconds));
        report.Line("rows stored after both runs", Report.Count(stored));

        report.Heading("Plain COPY of the same rows (Npgsql binary import, one transaction, table LIKE psa_configurations INCLUDING ALL)");
        report.Line("rows", Report.Count(copied));
        report.Line("time", Report.Seconds(copyTime));
        report.Line("rows/s", Report.Rate(copyRate));

        report.Heading("Ratios to COPY (higher is better; the target for upsert rows/s is >= 0.5)");
        Both("upsert rows/s / COPY rows/s", r => Report.Ratio(rows / r.Result.WriteTime.TotalSeconds / copyRate));
        Both("end-to-end rows/s / COPY rows/s", r => Report.Ratio(rows / r.Elapsed.TotalSeconds / copyRate));

        var minimum = (rows + MaxPageSize - 1) / MaxPageSize;
        report.Heading($"API calls (minimum: ceil(rows / {MaxPageSize:N0}) = {minimum:N0})");
        Both("sent by the client (retries included)", r => Report.Count(r.Result.ApiCalls));
        Both("received by the sandbox", r => Report.Count(r.SandboxRequests));
        Both("sent / minimum", r => Report.Ratio((double)r.Result.ApiCalls / minimum));

        // Statuses are read board by board (ConnectWise keeps them per board): that entity takes one page per board.
        report.Heading("Quiet incremental run of every entity right after (nothing changed in the PSA; target: 0 rows written, <= 1 page per entity, statuses 1 per board)");
        report.Line("status", quiet.Status.ToString());
        foreach (var entity in quiet.Entities)
        {
            report.Line(entity.Entity.ToString().ToLowerInvariant(), $"{Report.Count(entity.Read)} read, {Report.Count(entity.Upserted)} written");
        }

        report.Line("API calls / entities", $"{Report.Count(quiet.ApiCalls)} / {quiet.Entities.Count} ({(double)quiet.ApiCalls / Math.Max(1, quiet.Entities.Count):0.00} per entity; {Report.Count(quietRequests)} received by the sandbox)");
        report.Line("wall time", $"{quietElapsed.TotalMilliseconds:N0} ms");

        report.Heading("Memory of the EasyConnect process (the sandbox runs in its own process)");
        Both("peak working set", r => $"{Report.Megabytes(r.Memory.PeakWorkingSet)}{(r.Memory.KernelPeak ? "" : " (sampled)")}");
        Both("working set before the run", r => Report.Megabytes(r.Memory.BaselineWorkingSet));
        Both("peak GC heap", r => Report.Megabytes(r.Memory.PeakGcHeap));
        Both("allocated during the run", r => Report.Megabytes(r.Memory.Allocated));
        report.Line("target", "peak < 300 MB");
        return 0;

        void Both(string label, Func<MeasuredRun, string> value) => report.Line(label, $"{value(first),-28} {value(nightly)}");
    }

    private static async Task<MeasuredRun> MeasureAsync(PsaSyncEngine engine, Guid connection, SandboxProcess sandbox, CancellationToken cancellationToken)
    {
        await sandbox.ResetRequestsAsync(cancellationToken);
        await using var memory = MemoryWatch.Start();
        var started = Stopwatch.GetTimestamp();
        var result = await engine.RunAsync(connection, new SyncRunRequest(SyncRunKind.Full, Entities: [PsaEntity.Configurations]), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var use = await memory.StopAsync();
        return new MeasuredRun(result, elapsed, await sandbox.RequestsAsync(cancellationToken), use);
    }

    private sealed record MeasuredRun(SyncRunResult Result, TimeSpan Elapsed, long SandboxRequests, MemoryUse Memory);
}
