using System.Collections.Concurrent;
using System.Diagnostics;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Portal.Zendesk;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Tickets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Benchmarks.Tickets;

/// <summary>One measured run of the ticket sync.</summary>
/// <param name="PsaRequests">Requests the PSA sandbox received (a retry is another request).</param>
/// <param name="RemoteWait">The time spent inside API requests, summed: only meaningful for a quiet run, whose requests follow each other.</param>
/// <param name="PsaWait">The part of <paramref name="RemoteWait"/> spent in PSA calls (each inside its concurrency slot).</param>
/// <param name="PsaServer">The time the PSA sandbox spent answering those calls, summed.</param>
/// <param name="Cpu">The process's CPU time over the run: the engine, its clients and both sandboxes (PostgreSQL is another process).</param>
/// <param name="ByLimit">The PSA calls by what the PSA limits them against, where it limits parts of its API separately.</param>
/// <param name="Refused">429s the PSA sandbox answered.</param>
internal sealed record TicketRun(
    TicketSyncResult Result, TimeSpan Elapsed, long PsaRequests, long PortalRequests, TimeSpan RemoteWait, TimeSpan PsaWait, TimeSpan PsaServer, TimeSpan Cpu, long Allocated,
    IReadOnlyDictionary<string, int> ByLimit, long Refused)
{
    public long Calls => PsaRequests + PortalRequests;
}

/// <summary>
/// What the runs are measured with: the time spent waiting for the two APIs and the PSA calls by limit, counted by a handler outermost
/// on every client (a retry is the same call there), and the 429s the PSA sandbox answered.
/// </summary>
internal sealed class TicketBenchmarkMeters
{
    private readonly ConcurrentDictionary<string, int> _byLimit = new(StringComparer.Ordinal);
    private long _waitTicks;
    private long _psaWaitTicks;
    private long _psaServerTicks;
    private long _refused;

    public TimeSpan RemoteWait => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _waitTicks));

    /// <summary>The time PSA calls spent in the client inside their concurrency slot, summed.</summary>
    public TimeSpan PsaWait => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _psaWaitTicks));

    /// <summary>The time the PSA sandbox spent answering, summed.</summary>
    public TimeSpan PsaServerTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _psaServerTicks));

    public void PsaServer(long ticks) => Interlocked.Add(ref _psaServerTicks, ticks);

    public long Refused => Interlocked.Read(ref _refused);

    public IReadOnlyDictionary<string, int> ByLimit() => new Dictionary<string, int>(_byLimit);

    public void ResetByLimit() => _byLimit.Clear();

    public void Wait(long ticks, bool psa)
    {
        Interlocked.Add(ref _waitTicks, ticks);
        if (psa)
        {
            Interlocked.Add(ref _psaWaitTicks, ticks);
        }
    }

    public void Call(string limit) => _byLimit.AddOrUpdate(limit, 1, (_, n) => n + 1);

    public void Refuse() => Interlocked.Increment(ref _refused);
}

/// <summary>
/// Outermost handler of every API client's pipeline (inside the connection's concurrency slot): the time waited for the answer
/// (retries included), the PSA's share of it, and the PSA call's limit.
/// </summary>
internal sealed class TicketBenchmarkHandler(TicketBenchmarkMeters meters, TicketBenchmarkPsa psa) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var isPsa = (request.RequestUri?.AbsolutePath ?? "").Contains("/" + psa.Prefix + "/", StringComparison.Ordinal);
        if (isPsa && psa.LimitOf(request) is { } limit)
        {
            meters.Call(limit);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            meters.Wait(Stopwatch.GetTimestamp() - started, isPsa);
        }
    }
}

/// <summary>The PSA's sandbox and the portal sandbox in this process, on one loopback Kestrel port.</summary>
internal sealed class TicketBenchmarkSandboxes : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TicketBenchmarkSandboxes(WebApplication app, Uri root, IPsaSandbox psa)
    {
        _app = app;
        Root = root;
        Psa = psa;
        Portal = app.Services.GetRequiredService<PortalSandboxState>();
    }

    public Uri Root { get; }

    public IPsaSandbox Psa { get; }

    public PortalSandboxState Portal { get; }

    public static async Task<TicketBenchmarkSandboxes> StartAsync(TicketBenchmarkPsa psa, TicketBenchmarkMeters meters, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // The sandboxes stand in for services on other machines: their socket work runs inline on the transport's threads, so they take
        // as little of the thread pool the engine runs on as they can.
        builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        builder.Logging.ClearProviders();
        psa.AddSandbox(builder.Services);
        builder.Services.AddEasyConnectPortalSandbox(o =>
        {
            o.Tickets = 0;
            o.ExportRequestsPerMinute = 0;
        });
        var app = builder.Build();
        // The PSA's refusals as the sandbox answered them, whatever the client's retries made of them.
        var prefix = "/" + psa.Prefix + "/";
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            await next(context);
            if (context.Request.Path.Value?.StartsWith(prefix, StringComparison.Ordinal) == true)
            {
                meters.PsaServer(Stopwatch.GetTimestamp() - started);
            }

            if (context.Response.StatusCode == StatusCodes.Status429TooManyRequests && context.Request.Path.Value?.StartsWith(prefix, StringComparison.Ordinal) == true)
            {
                meters.Refuse();
            }
        });
        psa.MapSandbox(app);
        app.MapPortalSandbox("/sandbox/portal");
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var root = new Uri(address.TrimEnd('/') + "/");
        return new TicketBenchmarkSandboxes(app, root, psa.Seed(app.Services, root));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>The stored, encrypted connections replaced by the sandboxes' credentials; the clients are the real ones.</summary>
internal sealed class TicketBenchmarkClients(IServiceProvider services, TicketBenchmarkPsa psa, TicketBenchmarkSandboxes sandboxes) : IPsaClientProvider, IPortalClientProvider
{
    private static readonly Guid PortalId = Guid.Parse("0b3c7a4e-0000-4000-8000-0000000be002");
    private IPortalClient? _portal;

    public static PortalConnection PortalConnection(TicketBenchmarkSandboxes sandboxes) => new()
    {
        Id = PortalId, BaseUrl = new Uri(sandboxes.Root, "sandbox/portal").ToString(), Email = sandboxes.Portal.Options.AgentEmail,
        State = ConnectionState.Active, ClusterIdFieldId = sandboxes.Portal.Options.ClusterIdFieldId, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "benchmark",
    };

    public Task<IPsaClient> GetClientAsync(Guid connectionId, CancellationToken cancellationToken) =>
        Task.FromResult(psa.CreateClient(services, sandboxes.Psa, connectionId));

    public Task<(PortalConnection Connection, IPortalClient Client)?> GetActiveAsync(CancellationToken cancellationToken)
    {
        var connection = PortalConnection(sandboxes);
        _portal ??= services.GetRequiredService<ZendeskClientFactory>().Create(new ZendeskConnectionSettings
        {
            BaseUrl = connection.BaseUrl, Email = connection.Email, ApiToken = sandboxes.Portal.Options.ApiToken, ClusterIdFieldId = connection.ClusterIdFieldId,
        });
        return Task.FromResult<(PortalConnection, IPortalClient)?>((connection, _portal));
    }
}
