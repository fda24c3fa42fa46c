using EasyConnect.Sync.Http;
using EasyConnect.Sync.Sandbox.Halo;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Sync.Psa.Halo;

/// <summary>
/// HaloPSA, as the shared engines and the admin UI see it. The client is <see cref="HaloClientFactory"/>
/// (<see cref="HaloExtensions.AddEasyConnectHalo"/>), which the host registers so the Integration page offers HaloPSA as connectable.
/// </summary>
public static class HaloProduct
{
    /// <summary>Setting names of a HaloPSA connection.</summary>
    public const string Address = "address", Tenant = "tenant", ClientId = "clientId", ClientSecret = "clientSecret", NoteOutcome = "noteOutcome";

    /// <summary>Where the built-in HaloPSA sandbox answers (its auth server under <c>auth/</c>, its API under <c>api/</c>).</summary>
    public const string SandboxPath = "/sandbox/halo";

    // page_no/page_size paging is by offset (at most 100 a page): rows changed during a read can shift between pages.
    private static readonly PsaEntityCapabilities Paged = new(HasLastModified: true, OrderedByLastModified: false, StablePaging: false, PageSize: 100);

    // Lists Halo answers whole, without paging or a last-update filter.
    private static readonly PsaEntityCapabilities Whole = new(HasLastModified: false, OrderedByLastModified: false, StablePaging: true, PageSize: int.MaxValue);

    /// <summary>The description.</summary>
    public static PsaProduct Description { get; } = new()
    {
        Kind = PsaKind.Halo,
        DisplayName = "HaloPSA",
        ShortName = "Halo",
        Nouns = new("agent", "agents", "team", "teams", "asset", "assets", "client", "clients", "private action"),
        // Halo's API documents no length for summary or details; 255 keeps a summary to what Halo's own screens show whole.
        Limits = new(SummaryLength: 255, DescriptionLength: 1_000_000),
        // Halo's stamps carry fractions of a second.
        StampResolution = TimeSpan.FromMilliseconds(1),
        ConnectionFields =
        [
            new(Address, "Halo address", "Enter the address of your Halo instance, such as https://acme.halopsa.com.")
            {
                Help = "The address you log in to; EasyConnect calls its /api and /auth",
                SandboxValue = c => c.SandboxBaseUrl,
            },
            new(Tenant, "Tenant", "")
            {
                Required = false, Help = "Only for instances Halo hosts: the tenant shown under Halo API > API Details", SandboxValue = c => Sandbox(c).Tenant,
            },
            new(ClientId, "Client ID", "Enter the client ID of the API application.") { Secret = true, SandboxValue = c => Sandbox(c).ClientId },
            new(ClientSecret, "Client secret", "Enter the client secret of the API application.")
            {
                Secret = true, Masked = true, Help = "Stored encrypted; never shown again", SandboxValue = c => Sandbox(c).ClientSecret,
            },
            // Halo tenants name their action outcomes ("Private Note", "Internal Note").
            new(NoteOutcome, "Note outcome", "")
            {
                Required = false, Help = "The outcome of the private actions EasyConnect writes; \"Private Note\" when left empty",
                SandboxValue = _ => HaloCredentials.DefaultOutcome,
            },
        ],
        Identify = settings =>
        {
            var address = settings.TryGetValue(Address, out var a) && !string.IsNullOrWhiteSpace(a)
                ? a.Trim()
                : throw new PsaException(RemoteErrorKind.ValidationFailed, "The HaloPSA setting \"address\" is empty.", Address);
            if (!Uri.TryCreate(address.Contains("://", StringComparison.Ordinal) ? address : "https://" + address, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("https" or "http"))
            {
                throw new PsaException(RemoteErrorKind.ValidationFailed, $"\"{address}\" is not a Halo address. Enter it as https://host, such as https://acme.halopsa.com.", Address);
            }

            var tenant = settings.TryGetValue(Tenant, out var t) ? t.Trim() : "";
            var host = uri.GetComponents(UriComponents.HostAndPort | UriComponents.Path, UriFormat.Unescaped).TrimEnd('/');
            return new PsaInstanceIdentity(PsaKind.Halo, $"{host}|{tenant}".ToLowerInvariant(), tenant.Length == 0 ? host : $"{host} — {tenant}");
        },
        SetupGuide = "docs/halo-setup.md",
        Entities = new Dictionary<PsaEntity, PsaEntityCapabilities>
        {
            [PsaEntity.Members] = Whole,
            [PsaEntity.Companies] = Paged,
            [PsaEntity.Configurations] = Paged,
            [PsaEntity.Boards] = Whole,
            [PsaEntity.Statuses] = Whole,
            // GET /Priority?slaid=…: a ticket's priority_id is the priorityid within the ticket's SLA.
            [PsaEntity.Priorities] = Whole with { Scope = new PsaScope("SLA", null) },
            [PsaEntity.Tickets] = Paged,
        },
        // The ClusterID lives in an asset's inventory number, its key field or a custom field (found by its name or its label).
        ClusterIdFields = new("inventory number", "key field", null, "custom field", "Custom field name or label"),
        Sandbox = new(SandboxPath, services => services.GetService<HaloSandboxState>() is not null),
    };

    private static HaloSandboxOptions Sandbox(PsaSandboxContext context) => context.Services.GetRequiredService<HaloSandboxState>().Options;
}
