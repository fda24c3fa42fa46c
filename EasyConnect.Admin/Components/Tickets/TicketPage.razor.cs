using EasyConnect.Admin.Components.Shared;
using EasyConnect.Sync.Tickets;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace EasyConnect.Admin.Components.Tickets;

public sealed partial class TicketPage
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WaitForResync = TimeSpan.FromMinutes(2);

    private readonly CancellationTokenSource _disposed = new();
    private TicketDetails? _details;
    private bool _loaded;
    private bool _busy;
    private string? _notice;
    private bool _noticeOk;
    private DateTimeOffset? _resyncedAt;
    private Task? _refresher;

    /// <summary>The portal ticket number, as the tickets grid shows it.</summary>
    [Parameter]
    public string PortalTicketId { get; set; } = "";

    // Only while the page is prerendered: a direct request for an unknown ticket answers 404.
    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    [Inject]
    private LinkedTickets Tickets { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private string Psa => _details is null ? "PSA" : TicketText.PsaName(_details.Kind);

    // "Configuration item" for Autotask, "Asset" for Halo, "Configuration" for ConnectWise: the product's own word, capitalised for a row heading.
    private string ConfigurationNoun => _details is null ? "Configuration" : Noun.Capital(EasyConnect.Sync.Psa.PsaProducts.Get(_details.Kind).Nouns.Configuration);

    // "Client" for Halo, "Company" for ConnectWise and Autotask.
    private string CompanyNoun => _details is null ? "Company" : Noun.Capital(EasyConnect.Sync.Psa.PsaProducts.Get(_details.Kind).Nouns.Company);

    protected override async Task OnParametersSetAsync()
    {
        _details = await Tickets.GetByPortalTicketAsync(PortalTicketId, _disposed.Token);
        _loaded = true;
        if (_details is null && HttpContext is { Response.HasStarted: false } http)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _refresher = RefreshAsync(_disposed.Token);
        }
    }

    private async Task ResyncAsync()
    {
        _busy = true;
        try
        {
            var user = (await Authentication.GetAuthenticationStateAsync()).User;
            var result = await Tickets.ResyncAsync(_details!.Link.Id, user.Identity?.Name ?? "unknown", _disposed.Token);
            _notice = result.Message;
            _noticeOk = result.Succeeded;
            if (result.Succeeded)
            {
                _resyncedAt = Clock.GetUtcNow().AddSeconds(-1);
            }
        }
        finally
        {
            _busy = false;
        }
    }

    /// <summary>After a resync, reloads the ticket until the run has been at it (its ledger or last sync moved).</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RefreshEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (_resyncedAt is not { } since || _details is null)
                {
                    continue;
                }

                var fresh = await Tickets.GetAsync(_details.Link.Id, cancellationToken);
                var done = fresh is not null && (fresh.Link.LastSyncedAt >= since || fresh.Ledger.Any(e => e.At >= since));
                if (done || Clock.GetUtcNow() > since + WaitForResync)
                {
                    _resyncedAt = null;
                }

                await InvokeAsync(() =>
                {
                    _details = fresh;
                    if (done)
                    {
                        _notice = "The ticket has been synced again.";
                        _noticeOk = true;
                    }

                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private string Way(NoteOrigin origin) => origin switch
    {
        NoteOrigin.PortalComment => $"portal → {Psa}",
        NoteOrigin.PsaNote => $"{Psa} → portal",
        NoteOrigin.DescriptionUpdate => $"description, {Psa} → portal",
        NoteOrigin.ConflictCopy => "kept after a conflict",
        NoteOrigin.Refused => $"{Psa} only (portal refused)",
        _ => origin.ToString(),
    };

    private string Direction(SyncDirection direction) => direction switch
    {
        SyncDirection.PortalToPsa => $"portal → {Psa}",
        SyncDirection.PsaToPortal => $"{Psa} → portal",
        _ => "",
    };

    private static string Describe(LedgerResult result) => result switch
    {
        LedgerResult.NotSynced => "Not synced",
        _ => result.ToString(),
    };

    private static Color ColorOf(LedgerResult result) => result switch
    {
        LedgerResult.Synced or LedgerResult.Released => Color.Success,
        LedgerResult.Reconciled => Color.Info,
        LedgerResult.Held or LedgerResult.Conflict => Color.Warning,
        LedgerResult.Failed => Color.Error,
        _ => Color.Default,
    };

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
