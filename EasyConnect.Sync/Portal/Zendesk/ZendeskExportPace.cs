using System.Threading.RateLimiting;

namespace EasyConnect.Sync.Portal.Zendesk;

/// <summary>
/// Zendesk's incremental export limit (10 requests a minute per account) kept on EasyConnect's side, on the injected
/// <see cref="TimeProvider"/>: a request waits until fewer than <c>permits</c> requests were answered within the last window. A
/// request counts from when its answer came back, never from when it was sent, so however long it travelled the account's own
/// count (taken on arrival) cannot be ahead of this one.
/// </summary>
internal sealed class ZendeskExportPace(int permits, TimeSpan window, TimeProvider time) : RateLimiter
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly List<Slot> _slots = [];
    private readonly SemaphoreSlim _queue = new(1, 1);

    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => TryTake(out _) is { } slot ? new Lease(this, slot) : Lease.Refused;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        // One waiter at a time, so requests leave in the order they asked.
        await _queue.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                if (TryTake(out var wait) is { } slot)
                {
                    return new Lease(this, slot);
                }

                await Task.Delay(wait, time, cancellationToken);
            }
        }
        finally
        {
            _queue.Release();
        }
    }

    private Slot? TryTake(out TimeSpan wait)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _slots.RemoveAll(s => s.AnsweredAt is { } at && at + window <= now);
            if (_slots.Count < permits)
            {
                var slot = new Slot();
                _slots.Add(slot);
                wait = TimeSpan.Zero;
                return slot;
            }

            // Until the oldest answer leaves the window; while every counted request is still under way, look again shortly.
            var oldest = _slots.Where(s => s.AnsweredAt is not null).Select(s => s.AnsweredAt!.Value).DefaultIfEmpty(now + Poll - window).Min();
            wait = oldest + window - now;
            return null;
        }
    }

    private void Answered(Slot slot)
    {
        lock (_gate)
        {
            slot.AnsweredAt ??= time.GetUtcNow();
        }
    }

    private sealed class Slot
    {
        public DateTimeOffset? AnsweredAt { get; set; }
    }

    private sealed class Lease(ZendeskExportPace? owner, Slot? slot) : RateLimitLease
    {
        public static readonly Lease Refused = new(null, null);

        public override bool IsAcquired => slot is not null;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && slot is not null)
            {
                owner!.Answered(slot);
            }

            base.Dispose(disposing);
        }
    }
}
