namespace EasyConnect.Sync.Connections;

/// <summary>
/// Runs one connection test under the overall limit of <see cref="ConnectionTestOptions"/>, keeping its checks as they are
/// reported so that the page can show them as they go and, when the limit passes, the check that was waiting says so and
/// the rest are marked not run.
/// </summary>
internal static class ConnectionTestRun
{
    public const string NotRunMessage = "Not run: the test stopped before this check.";

    /// <summary>
    /// Runs <paramref name="test"/>, which reports each check (waiting, running, finished) to the progress it is given.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task<IReadOnlyList<T>> RunAsync<T>(
        Func<IProgress<T>, CancellationToken, Task<IReadOnlyList<T>>> test,
        Func<string, ConnectionCheckState, string, T> make,
        string timedOutMessage,
        TimeSpan limit,
        TimeProvider clock,
        IProgress<IReadOnlyList<T>>? observer,
        CancellationToken cancellationToken)
        where T : IConnectionCheck
    {
        ConnectionTestScope.Enter();
        var board = new Board<T>(observer);
        using var timeout = new CancellationTokenSource(limit, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        IReadOnlyList<T> items;
        try
        {
            items = await test(board, linked.Token);
        }
        catch (Exception) when (linked.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            items = board.GiveUp(make, timedOutMessage);
        }

        observer?.Report(items);
        return items;
    }

    /// <summary>The checks so far, in order; a check first reported mid-test is placed after the last one reported.</summary>
    private sealed class Board<T>(IProgress<IReadOnlyList<T>>? observer) : IProgress<T>
        where T : IConnectionCheck
    {
        private readonly List<T> _items = [];
        private readonly Lock _gate = new();
        private int _last = -1;

        public void Report(T value)
        {
            T[] snapshot;
            lock (_gate)
            {
                var index = _items.FindIndex(i => i.Name == value.Name);
                if (index < 0)
                {
                    index = value.State == ConnectionCheckState.Waiting ? _items.Count : _last + 1;
                    _items.Insert(index, value);
                }
                else
                {
                    _items[index] = value;
                }

                if (value.State != ConnectionCheckState.Waiting)
                {
                    _last = index;
                }

                snapshot = [.. _items];
            }

            observer?.Report(snapshot);
        }

        /// <summary>The running check (or the first waiting one) fails with <paramref name="message"/>; later ones are not run.</summary>
        public IReadOnlyList<T> GiveUp(Func<string, ConnectionCheckState, string, T> make, string message)
        {
            lock (_gate)
            {
                var stopped = _items.FindIndex(i => i.State == ConnectionCheckState.Running);
                if (stopped < 0)
                {
                    stopped = _items.FindIndex(i => i.State == ConnectionCheckState.Waiting);
                }

                if (stopped < 0)
                {
                    return [.. _items, make("Reach the host", ConnectionCheckState.Failed, message)];
                }

                return _items.Select((item, i) =>
                    i == stopped ? make(item.Name, ConnectionCheckState.Failed, message)
                    : item.State is ConnectionCheckState.Waiting or ConnectionCheckState.Running ? make(item.Name, ConnectionCheckState.NotRun, NotRunMessage)
                    : item).ToList();
            }
        }
    }
}
