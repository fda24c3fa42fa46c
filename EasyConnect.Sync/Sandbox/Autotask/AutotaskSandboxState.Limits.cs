namespace EasyConnect.Sync.Sandbox.Autotask;

/// <summary>Autotask's limits: concurrent requests per endpoint and requests per rolling hour.</summary>
public sealed partial class AutotaskSandboxState
{
    /// <summary>Counts a request against the rolling hour; answers the count before it, or null when the threshold is exceeded.</summary>
    internal int? CountRequest()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            Expire(now);
            if (_hour.Count >= Options.HourlyThreshold)
            {
                return null;
            }

            var before = _hour.Count;
            _hour.Enqueue(now);
            return before;
        }
    }

    /// <summary>
    /// The delay Autotask adds to a request once the hour's usage passes half, and more past three quarters, of the
    /// threshold, given the requests counted before it; recorded in <see cref="ThresholdDelays"/>.
    /// </summary>
    internal int ThresholdLatencyMs(int used)
    {
        var threshold = Options.HourlyThreshold;
        var delay = used * 4 >= threshold * 3 ? Options.ThreeQuarterThresholdLatencyMs : used * 2 >= threshold ? Options.HalfThresholdLatencyMs : 0;
        _thresholdDelays.Enqueue(delay);
        while (_thresholdDelays.Count > 1_000 && _thresholdDelays.TryDequeue(out _))
        {
        }

        return delay;
    }

    /// <summary>The threshold delays added to the latest requests counted (up to a thousand), oldest first.</summary>
    public IReadOnlyList<int> ThresholdDelays => [.. _thresholdDelays];

    private readonly System.Collections.Concurrent.ConcurrentQueue<int> _thresholdDelays = new();

    /// <summary>Takes one of the concurrent-request slots of <paramref name="endpoint"/>; false when all are taken.</summary>
    internal bool EnterThread(string endpoint)
    {
        lock (_gate)
        {
            var running = _threads.GetValueOrDefault(endpoint);
            if (running >= Options.ThreadLimit)
            {
                ThreadRefusals++;
                return false;
            }

            _threads[endpoint] = running + 1;
            return true;
        }
    }

    /// <summary>Requests answered 429 "Thread Threshold Exceeded" because their endpoint's threads were all taken.</summary>
    public int ThreadRefusals { get; private set; }

    /// <summary>Gives back a slot taken by <see cref="EnterThread"/>.</summary>
    internal void LeaveThread(string endpoint)
    {
        lock (_gate)
        {
            _threads[endpoint] = Math.Max(0, _threads.GetValueOrDefault(endpoint) - 1);
        }
    }

    /// <summary>Requests counted in the rolling hour.</summary>
    public int RequestsThisHour
    {
        get
        {
            lock (_gate)
            {
                Expire(_time.GetUtcNow());
                return _hour.Count;
            }
        }
    }

    private void Expire(DateTimeOffset now)
    {
        while (_hour.Count > 0 && _hour.Peek() <= now - TimeSpan.FromHours(1))
        {
            _hour.Dequeue();
        }
    }
}
