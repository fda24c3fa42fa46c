using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Tickets;
using EasyConnect.Sync.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace EasyConnect.Admin.Components.Tickets;

public sealed partial class TicketsPage
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);
    // A queued run starts when a worker picks it up; keep refreshing until it has finished.
    private static readonly TimeSpan WaitForQueued = TimeSpan.FromMinutes(2);

    private readonly CancellationTokenSource _disposed = new();
    private MudDataGrid<TicketRow>? _grid;
    private TicketFilter _filter;
    private string? _search;
    private bool _loaded;
    private bool _syncEnabled;
    private bool _busy;
    private string? _notice;
    private bool _noticeOk;
    private DateTimeOffset? _queuedAt;
    private Guid? _following;
    private PortalReach? _reach;
    private bool _isAdmin;
    private Task? _refresher;

    [Inject]
    private LinkedTickets Tickets { get; set; } = default!;

    /// <summary>"held", "conflicted" or "failed" opens the page on that filter (the Overview and alerts link there).</summary>
    [SupplyParameterFromQuery(Name = "filter")]
    private string? FilterQuery { get; set; }

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if (Enum.TryParse<TicketFilter>(FilterQuery, ignoreCase: true, out var filter) && Enum.IsDefined(filter))
        {
            _filter = filter;
        }

        _syncEnabled = await Tickets.IsSyncEnabledAsync(_disposed.Token);
        _reach = await Tickets.PortalReachAsync(_disposed.Token);
        _isAdmin = (await Authentication.GetAuthenticationStateAsync()).User.IsInRole(Roles.Admin);
        _loaded = true;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _refresher = RefreshAsync(_disposed.Token);
        }
    }

    private async Task<GridData<TicketRow>> LoadAsync(GridState<TicketRow> state, CancellationToken cancellationToken)
    {
        var (items, total) = await Tickets.ListAsync(new TicketQuery(_filter, _search, state.Page * state.PageSize, state.PageSize), cancellationToken);
        return new GridData<TicketRow> { Items = items, TotalItems = total };
    }

    private async Task SyncNowAsync()
    {
        _busy = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            var result = await Tickets.SyncNowAsync(user.Identity?.Name ?? "unknown", _disposed.Token);
            _notice = result.Message;
            _noticeOk = result.Succeeded;
            if (result.Succeeded)
            {
                _queuedAt = Clock.GetUtcNow().AddSeconds(-1);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private static readonly int[] ReachChoices = [7, 30, 90, 365];

    private static string ReachText(PortalReach reach) => reach switch
    {
        { ReadsFrom: null } => $"The first ticket sync run reads the portal tickets changed in the last {Days(reach.FirstRunReach)}; older tickets join when they next change.",
        { Pending: true } => $"The next ticket sync run reads the portal tickets changed since {reach.ReadsFrom:yyyy-MM-dd HH:mm} UTC.",
        _ => $"Portal tickets changed since {reach.ReadsFrom:yyyy-MM-dd HH:mm} UTC are synced; older tickets join when they next change.",
    };

    private static string Days(TimeSpan span) => span.TotalDays >= 1.5 ? $"{Math.Round(span.TotalDays)} days" : span.TotalHours >= 1.5 ? $"{Math.Round(span.TotalHours)} hours" : "day";

    private async Task ReachFurtherBackAsync(int days)
    {
        _busy = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            var result = await Tickets.ReachFurtherBackAsync(Clock.GetUtcNow().AddDays(-days), user.Identity?.Name ?? "unknown", _disposed.Token);
            _notice = result.Message;
            _noticeOk = result.Succeeded;
            if (result.Succeeded)
            {
                _queuedAt = Clock.GetUtcNow().AddSeconds(-1);
            }

            _reach = await Tickets.PortalReachAsync(_disposed.Token);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (_queuedAt is not { } queued || _grid is null)
                {
                    continue;
                }

                var last = await Tickets.LastRunAsync(queued, cancellationToken);
                var running = last?.AlreadyRunning;
                var done = last is not null && last.Status != SyncRunStatus.Running && running is null;
                if (running is not null && running.RunId != _following)
                {
                    // Our run was skipped because another one (often another server's) held the lock: follow that one instead.
                    _following = running.RunId;
                    await InvokeAsync(() =>
                    {
                        _notice = $"Another ticket sync run (started {running.StartedAt:HH:mm:ss} UTC by {running.StartedBy}) was already running; this list refreshes when it ends.";
                        _noticeOk = true;
                        StateHasChanged();
                    });
                }

                if (done || (running is null && Clock.GetUtcNow() > queued + WaitForQueued))
                {
                    _queuedAt = null;
                    _following = null;
                }

                if (done)
                {
                    await InvokeAsync(async () =>
                    {
                        _notice = "The ticket sync has run; the list below is up to date.";
                        _noticeOk = true;
                        _reach = await Tickets.PortalReachAsync(cancellationToken);
                        await _grid.ReloadServerData();
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

    private void Open(DataGridRowClickEventArgs<TicketRow> args) => Navigation.NavigateTo(TicketHref(args.Item));

    /// <summary>The ticket page's address carries the portal ticket number, the one people quote.</summary>
    internal static string TicketHref(TicketRow row) => $"/tickets/{Uri.EscapeDataString(row.PortalTicketId)}";

    private async Task FilterAsync(TicketFilter filter)
    {
        _filter = filter;
        await ReloadAsync();
    }

    private async Task SearchAsync(string? search)
    {
        _search = search;
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
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
