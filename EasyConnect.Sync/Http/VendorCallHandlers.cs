namespace EasyConnect.Sync.Http;

/// <summary>What limits a vendor call before it goes out: a concurrency slot for the whole call, and a budget permit per attempt.</summary>
public interface IApiCallGate
{
    /// <summary>Waits for the call's concurrency slot and its first attempt's permit; disposing the result frees the slot.</summary>
    ValueTask<IDisposable> EnterAsync(HttpRequestMessage request, CancellationToken cancellationToken);

    /// <summary>Waits for the permit of a retry (each attempt counts against the vendor's budget).</summary>
    ValueTask ChargeRetryAsync(HttpRequestMessage request, CancellationToken cancellationToken);
}

/// <summary>Counts the HTTP requests one client actually sent, retries included.</summary>
public sealed class ApiCallCounter
{
    private long _count;

    /// <summary>Requests sent so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    internal void Increment() => Interlocked.Increment(ref _count);
}

/// <summary>One call's state, carried in the request from <see cref="VendorConnectionHandler"/> to <see cref="VendorAttemptHandler"/>.</summary>
internal sealed class VendorCall(ApiCallCounter counter, IApiCallGate? gate)
{
    public static readonly HttpRequestOptionsKey<VendorCall> Key = new("EasyConnect.Http.Call");

    public ApiCallCounter Counter { get; } = counter;

    public IApiCallGate? Gate { get; } = gate;

    public int Attempts { get; set; }
}

/// <summary>
/// Outside the resilience handler, so it sees a whole call: holds the gate's concurrency slot across the retries (a throttled
/// call keeps its slot and the connection slows down as the vendor asks) and hands the counter to <see cref="VendorAttemptHandler"/>.
/// </summary>
public sealed class VendorConnectionHandler(ApiCallCounter counter, IApiCallGate? gate = null) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.Set(VendorCall.Key, new VendorCall(counter, gate));
        if (gate is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        using var slot = await gate.EnterAsync(request, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Inside the resilience handler: counts every attempt actually sent and charges each retry to the gate's budget.</summary>
internal sealed class VendorAttemptHandler(string vendor) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(VendorCall.Key, out var call))
        {
            if (++call.Attempts > 1 && call.Gate is { } gate)
            {
                await gate.ChargeRetryAsync(request, cancellationToken);
            }

            call.Counter.Increment();
        }

        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            EasyConnect.Sync.Telemetry.EasyConnectMetrics.ApiCall(vendor, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            EasyConnect.Sync.Telemetry.EasyConnectMetrics.ApiCall(vendor, e is HttpRequestException ? "network" : "timeout");
            throw;
        }
    }
}
