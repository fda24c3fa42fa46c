using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace EasyConnect.Sync.Sandbox;

/// <summary>
/// Faults a sandbox injects into the requests it serves, shared by every simulated API (ConnectWise, the portal, …).
/// Rates are probabilities between 0 and 1, drawn from a generator seeded with <see cref="Seed"/>, so a run with the
/// same settings and the same request order sees the same faults.
/// </summary>
public sealed record SandboxFaults
{
    /// <summary>Added to every request before it is handled.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Share of requests answered with a 500.</summary>
    public double ServerErrorRate { get; init; }

    /// <summary>Share of requests answered with a 429 and <see cref="RetryAfterSeconds"/>.</summary>
    public double ThrottleRate { get; init; }

    /// <summary>The Retry-After of a 429.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Share of requests that hang without being applied (longer than any client waits), then lose their connection.</summary>
    public double TimeoutRate { get; init; }

    /// <summary>Share of writes that are applied, then hang and lose their connection: the client cannot know the write happened.</summary>
    public double LostResponseRate { get; init; }

    /// <summary>How long a hanging request hangs before its connection is aborted (it stops earlier if the client gives up).</summary>
    public int HangMs { get; init; } = 120_000;

    /// <summary>Seed of the fault generator.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>No faults, no latency.</summary>
    public static SandboxFaults None { get; } = new();
}

/// <summary>What happens to one request.</summary>
public enum SandboxFaultKind
{
    /// <summary>Served normally.</summary>
    None,

    /// <summary>Answered with a 500.</summary>
    ServerError,

    /// <summary>Answered with a 429 and Retry-After.</summary>
    Throttle,

    /// <summary>Hangs, not applied, then the connection is aborted.</summary>
    Timeout,

    /// <summary>Applied (writes only), then hangs and the connection is aborted.</summary>
    LostResponse,
}

/// <summary>One request a sandbox received, for tests and benchmarks.</summary>
/// <param name="At">When it arrived (UTC, from a monotonic clock anchored at start, so gaps between requests are exact).</param>
public sealed record SandboxRequest(DateTimeOffset At, string Method, string Path, SandboxFaultKind Fault);

/// <summary>Decides the fault of each request and records what arrived. Thread-safe; settable at runtime.</summary>
public sealed class SandboxFaultInjector
{
    private const int KeptRequests = 20_000;
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<SandboxRequest> _requests = new();
    private readonly Queue<SandboxFaultKind> _scripted = new();
    private readonly List<(SandboxFaultKind Kind, Func<string, string, bool> When)> _targeted = [];
    private readonly DateTimeOffset _anchor = DateTimeOffset.UtcNow;
    private readonly long _anchorTicks = Stopwatch.GetTimestamp();
    private SandboxFaults _faults = SandboxFaults.None;
    private Random _random = new(SandboxFaults.None.Seed);
    private long _received;

    /// <summary>The current settings; setting them restarts the generator from their seed and drops scripted faults.</summary>
    public SandboxFaults Faults
    {
        get
        {
            lock (_gate)
            {
                return _faults;
            }
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_gate)
            {
                _faults = value;
                _random = new Random(value.Seed);
                _scripted.Clear();
                _targeted.Clear();
            }
        }
    }

    /// <summary>Requests received since start (or <see cref="ResetRequests"/>), faulted ones included.</summary>
    public long RequestsReceived => Interlocked.Read(ref _received);

    /// <summary>The latest requests received, oldest first (the last 20,000 are kept).</summary>
    public IReadOnlyList<SandboxRequest> Requests => [.. _requests];

    /// <summary>Makes the next <paramref name="count"/> requests fail with <paramref name="kind"/>, whatever the rates say.</summary>
    public void FailNext(SandboxFaultKind kind, int count = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _scripted.Enqueue(kind);
            }
        }
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> requests for which <paramref name="when"/> (method, path and query) is true fail with
    /// <paramref name="kind"/>; other requests are served as the rates say.
    /// </summary>
    public void FailNext(SandboxFaultKind kind, int count, Func<string, string, bool> when)
    {
        ArgumentNullException.ThrowIfNull(when);
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _targeted.Add((kind, when));
            }
        }
    }

    /// <summary>Forgets the requests received so far.</summary>
    public void ResetRequests()
    {
        _requests.Clear();
        Interlocked.Exchange(ref _received, 0);
    }

    /// <summary>Records a request and decides its fault. A lost response only applies to writes; a read gets a timeout instead.</summary>
    public (SandboxFaultKind Kind, SandboxFaults Settings) Next(string method, string path)
    {
        SandboxFaultKind kind;
        SandboxFaults settings;
        lock (_gate)
        {
            settings = _faults;
            var targeted = _targeted.FindIndex(t => t.When(method, path));
            if (targeted >= 0)
            {
                kind = _targeted[targeted].Kind;
                _targeted.RemoveAt(targeted);
            }
            else if (_scripted.Count > 0)
            {
                kind = _scripted.Dequeue();
            }
            else
            {
                var roll = _random.NextDouble();
                kind = (roll -= settings.ServerErrorRate) < 0 ? SandboxFaultKind.ServerError
                    : (roll -= settings.ThrottleRate) < 0 ? SandboxFaultKind.Throttle
                    : (roll -= settings.TimeoutRate) < 0 ? SandboxFaultKind.Timeout
                    : (roll - settings.LostResponseRate) < 0 ? SandboxFaultKind.LostResponse
                    : SandboxFaultKind.None;
            }
        }

        if (kind == SandboxFaultKind.LostResponse && HttpMethods.IsGet(method))
        {
            kind = SandboxFaultKind.Timeout;
        }

        Interlocked.Increment(ref _received);
        _requests.Enqueue(new SandboxRequest(_anchor + Stopwatch.GetElapsedTime(_anchorTicks), method, path, kind));
        while (_requests.Count > KeptRequests && _requests.TryDequeue(out _))
        {
        }

        return (kind, settings);
    }
}
