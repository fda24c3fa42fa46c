using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace EasyConnect.Admin.Components.SyncRuns;

public sealed partial class SyncRunsPage
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);
    // A queued run appears when a worker picks it up; keep refreshing until then.
    private static readonly TimeSpan WaitForQueued = TimeSpan.FromMinutes(2);

    private readonly CancellationTokenSource _disposed = new();
    private MudDataGrid<SyncRun>? _grid;
    private SyncRunKind? _kind;
    private SyncRunStatus? _status;
    private bool _allInstances;
    private IReadOnlyDictionary<Guid, string> _instances = new Dictionary<Guid, string>();
    private SyncRun? _selected;
    private IReadOnlyList<SyncRun> _visible = [];
    private DateTimeOffset? _queuedAt;
    private DateTimeOffset _clickedAt;
    private SyncRunKind _queuedKind;
    private string? _notice;
    private bool _noticeOk;
    private bool _busy;
    private Task? _refresher;

    [Inject]
    private Sync.Runs.SyncRuns Runs { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _refresher = RefreshAsync(_disposed.Token);
        }
    }

    private async Task<GridData<SyncRun>> LoadAsync(GridState<SyncRun> state, CancellationToken cancellationToken)
    {
        var (items, total, instances) = await Runs.ListAsync(new SyncRunQuery(_kind, _status, state.Page * state.PageSize, state.PageSize, _allInstances), cancellationToken);
        _visible = items;
        _instances = instances;
        if (_selected is { } selected && items.FirstOrDefault(r => r.Id == selected.Id) is { } fresh)
        {
            _selected = fresh;
        }

        return new GridData<SyncRun> { Items = items, TotalItems = total };
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var waiting = _queuedAt is { } queued && Clock.GetUtcNow() < queued + WaitForQueued;
                if (_grid is not null && (waiting || _visible.Any(r => r.Status == SyncRunStatus.Running)))
                {
                    await InvokeAsync(async () =>
                    {
                        await _grid.ReloadServerData();
                        // The "queued" notice turns into the run's result once the run it announced has ended.
                        if (_queuedAt is { } since && _visible.Where(r => r.Kind == _queuedKind && r.StartedAt >= since && (r.FinishedAt is null || r.FinishedAt >= _clickedAt)).OrderBy(r => r.StartedAt).FirstOrDefault() is { } started)
                        {
                            if (started.Status == SyncRunStatus.Running)
                            {
                                _notice = $"The {started.Kind.ToString().ToLowerInvariant()} run is running: {started.RowsRead:N0} read, {started.RowsUpserted:N0} written so far.";
                                _noticeOk = true;
                            }
                            else
                            {
                                _notice = $"The {started.Kind.ToString().ToLowerInvariant()} run {Describe(started.Status).ToLowerInvariant()}" +
                                    (started.Message is { } message ? $": {message}" : $" ({started.RowsRead:N0} read, {started.RowsUpserted:N0} written).");
                                _noticeOk = started.Status == SyncRunStatus.Succeeded;
                                _queuedAt = null;
                            }
                        }

                        StateHasChanged();
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private async Task SyncNowAsync(SyncRunKind kind)
    {
        _busy = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            var result = await Runs.SyncNowAsync(kind, user.Identity?.Name ?? "unknown", _disposed.Token);
            Notify(result);
            if (result.Succeeded)
            {
                Queued(kind);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ConfirmAsync(Guid runId)
    {
        _busy = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            var result = await Runs.ConfirmDeletionAsync(runId, user, _disposed.Token);
            Notify(result);
            if (result.Succeeded)
            {
                // The deletion is carried out by a full run.
                Queued(SyncRunKind.Full);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>
    /// Remembers the run just queued so the notice can follow it: the first run of that kind stamped after the click
    /// (less a small margin for clock rounding) that had not already ended when the user clicked.
    /// </summary>
    private void Queued(SyncRunKind kind)
    {
        _clickedAt = Clock.GetUtcNow();
        _queuedAt = _clickedAt.AddSeconds(-1);
        _queuedKind = kind;
    }

    private void Notify(SyncRunCommandResult result)
    {
        _notice = result.Message;
        _noticeOk = result.Succeeded;
    }

    private Task SelectAsync(DataGridRowClickEventArgs<SyncRun> args)
    {
        _selected = args.Item;
        return Task.CompletedTask;
    }

    private async Task KindChangedAsync(SyncRunKind? kind)
    {
        _kind = kind;
        await ReloadAsync();
    }

    private async Task StatusChangedAsync(SyncRunStatus? status)
    {
        _status = status;
        await ReloadAsync();
    }

    private async Task InstancesChangedAsync(bool all)
    {
        _allInstances = all;
        await ReloadAsync();
    }

    private string InstanceOf(SyncRun run) => _instances.GetValueOrDefault(run.ConnectionId, "");

    private async Task ReloadAsync()
    {
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private static string Describe(SyncRunStatus status) => status switch
    {
        SyncRunStatus.NeedsConfirmation => "Needs confirmation",
        _ => status.ToString(),
    };

    private static Color ColorOf(SyncRunStatus status) => status switch
    {
        SyncRunStatus.Succeeded => Color.Success,
        SyncRunStatus.Failed => Color.Error,
        SyncRunStatus.NeedsConfirmation => Color.Warning,
        SyncRunStatus.Running => Color.Info,
        _ => Color.Default,
    };

    /// <summary>How long a run took, or has been running so far.</summary>
    private static string Took(SyncRun run, DateTimeOffset now)
    {
        var took = (run.FinishedAt ?? now) - run.StartedAt;
        return took.TotalSeconds < 60 ? $"{took.TotalSeconds:0.0} s" : $"{took.TotalMinutes:0.0} min";
    }

    /// <summary>The grid's "Took" cell: a running run's time so far ends with an ellipsis.</summary>
    private static string Duration(SyncRun run, DateTimeOffset now) => run.FinishedAt is null ? $"{Took(run, now)}…" : Took(run, now);

    /// <summary>How far a running run is, in percent, when the PSA's counts are known.</summary>
    private static double? Progress(SyncRun run)
    {
        var entities = run.Entities.Where(e => e.Expected is not null).ToList();
        var expected = entities.Sum(e => e.Expected!.Value);
        return expected == 0 ? null : Math.Min(100, 100.0 * entities.Sum(e => e.Read) / expected);
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_refresher is not null)
        {
            await _refresher;
        }

        _disposed.Dispose();
    }
}
