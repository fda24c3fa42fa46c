using EasyConnect.Sync.Connections;

namespace EasyConnect.Sync.Psa;

/// <summary>
/// The checks of a PSA's "Test connection" as they run: each planned check is reported as waiting, then running, then
/// with its result, and the results are kept in order. A check whose probe throws a <see cref="PsaException"/> fails
/// with the exception's message; cancellation is not a failed check.
/// </summary>
internal sealed class PsaCheckList
{
    private readonly IProgress<PsaCheckItem>? _progress;
    private readonly CancellationToken _cancellationToken;
    private readonly List<PsaCheckItem> _items = [];

    public PsaCheckList(IProgress<PsaCheckItem>? progress, IEnumerable<string> planned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        _progress = progress;
        _cancellationToken = cancellationToken;
        foreach (var name in planned)
        {
            progress?.Report(PsaCheckItem.Of(name, ConnectionCheckState.Waiting, "Waiting."));
        }
    }

    /// <summary>The results so far, in the order the checks ended.</summary>
    public IReadOnlyList<PsaCheckItem> Items => _items;

    /// <summary>Reports that a check has started.</summary>
    public void Start(string name) => _progress?.Report(PsaCheckItem.Of(name, ConnectionCheckState.Running, "Checking…"));

    /// <summary>Records and reports a check's result.</summary>
    public void Done(PsaCheckItem item)
    {
        _items.Add(item);
        _progress?.Report(item);
    }

    /// <summary>Runs a check whose probe answers the message of a passed check.</summary>
    public async Task CheckAsync(string name, Func<Task<string>> probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        Start(name);
        try
        {
            Done(new(name, true, await probe()));
        }
        catch (PsaException e) when (!_cancellationToken.IsCancellationRequested)
        {
            Done(new(name, false, e.Message));
        }
    }

    /// <summary>Runs a check that passes as "Allowed." when its probe does not throw.</summary>
    public Task CheckAsync(string name, Func<Task> probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return CheckAsync(name, async () =>
        {
            await probe();
            return "Allowed.";
        });
    }
}
