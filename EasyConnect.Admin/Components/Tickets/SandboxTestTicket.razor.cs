using System.Globalization;
using EasyConnect.Admin.Hosting;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace EasyConnect.Admin.Components.Tickets;

/// <summary>
/// "Create a test ticket in the sandbox portal" on the Tickets page: adds a ticket to the in-process portal sandbox, as a customer
/// would raise it, for admins trying EasyConnect against the built-in sandbox.
/// </summary>
public sealed partial class SandboxTestTicket
{
    internal const int SubjectMaxLength = 200;
    internal const int CommentMaxLength = 2000;
    private const string Description = "A test ticket raised from EasyConnect's Tickets page.";

    private PortalSandboxState? _state;
    private IReadOnlyList<string> _clusterIds = [];
    private MudForm? _form;
    private bool _valid;
    private bool _open;
    private string _subject = "";
    private string? _clusterId;
    private string _comment = "";
    private string? _error;
    private string? _created;
    private string _psa = "PSA";
    private string _configuration = "configuration";
    private string _company = "company";

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    [Inject]
    private PortalConnections Portal { get; set; } = default!;

    [Inject]
    private EasyConnect.Sync.Connections.PsaConnections Psa { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private AuthenticationStateProvider Authentication { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var state = Services.GetService<PortalSandboxState>();
        if (state is null || !(await Authentication.GetAuthenticationStateAsync()).User.IsInRole(Roles.Admin)
            || !IsThisSandbox(await Portal.GetActiveAsync()))
        {
            return;
        }

        _state = state;
        if (await Psa.GetActiveAsync() is { } psa)
        {
            var product = EasyConnect.Sync.Psa.PsaProducts.Get(psa.Kind);
            (_psa, _configuration, _company) = (product.DisplayName, product.Nouns.Configuration, product.Nouns.Company);
        }

        _clusterIds = state.MatchingClusterIds();
        _clusterId = _clusterIds.FirstOrDefault();
    }

    /// <summary>Whether the connection points at this app's own sandbox portal, as "Use the sandbox" on the Integration page sets it.</summary>
    private bool IsThisSandbox(PortalConnection? connection) =>
        connection is not null
        && Uri.TryCreate(connection.BaseUrl, UriKind.Absolute, out var url)
        && string.Equals(url.AbsolutePath.TrimEnd('/'), SandboxExtensions.PortalPrefix, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.Authority, new Uri(Navigation.BaseUri).Authority, StringComparison.OrdinalIgnoreCase);

    private async Task CreateAsync()
    {
        _error = null;
        await _form!.ValidateAsync();
        if (!_valid || _state is null)
        {
            return;
        }

        _error = (string.IsNullOrWhiteSpace(_subject) ? "Enter a subject." : null)
            ?? (string.IsNullOrWhiteSpace(_comment) ? "Enter a comment." : null)
            ?? (_clusterId is null || !_clusterIds.Contains(_clusterId) ? "Choose a ClusterID from the list." : null)
            ?? TextLimit.Check(_subject, SubjectMaxLength, "subject")
            ?? TextLimit.Check(_comment, CommentMaxLength, "comment");
        if (_error is not null)
        {
            return;
        }

        var ticket = _state.AddTicket(_subject.Trim(), Description, _clusterId);
        _state.AddComment(ticket.Id, _comment.Trim());
        _created = string.Create(CultureInfo.InvariantCulture,
            $"Created ticket {ticket.Id} in the sandbox portal. Click \"Sync tickets now\" (or wait for the next scheduled run) and it appears in the list below.");
        _subject = "";
        _comment = "";
        _open = false;
    }
}
