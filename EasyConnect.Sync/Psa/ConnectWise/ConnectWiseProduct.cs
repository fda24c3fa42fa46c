using EasyConnect.Sync.Sandbox.ConnectWise;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>ConnectWise PSA (Manage), as the shared engines and the admin UI see it.</summary>
public static class ConnectWiseProduct
{
    /// <summary>Setting names of a ConnectWise connection.</summary>
    public const string Site = "site", CompanyId = "companyId", PublicKey = "publicKey", PrivateKey = "privateKey", ClientId = "clientId";

    /// <summary>Where the built-in ConnectWise sandbox answers.</summary>
    public const string SandboxPath = "/sandbox/connectwise";

    // Forward-only paging (header pagination-type: forward-only) is keyset on id; numbered pages shift when rows change.
    private static readonly PsaEntityCapabilities TopLevel = new(HasLastModified: true, OrderedByLastModified: true, StablePaging: true, PageSize: 1_000);

    /// <summary>The description.</summary>
    public static PsaProduct Description { get; } = new()
    {
        Kind = PsaKind.ConnectWise,
        DisplayName = "ConnectWise",
        ShortName = "CW",
        Nouns = new("member", "members", "board", "boards", "configuration", "configurations", "company", "companies"),
        // ConnectWise refuses a longer summary with MaxLengthField; notes take long texts (no documented limit below this).
        Limits = new(SummaryLength: 100, DescriptionLength: 1_000_000),
        // ConnectWise's _info.lastUpdated comes back in whole seconds.
        StampResolution = TimeSpan.FromSeconds(1),
        ConnectionFields =
        [
            new(Site, "Site", "Enter your ConnectWise site, such as na.myconnectwise.net.")
            {
                Help = "The address you log in to, such as na.myconnectwise.net or connectwise.example.com",
                SandboxValue = c => c.SandboxBaseUrl,
            },
            new(CompanyId, "Company ID", "Enter the company id you log in with.") { SandboxValue = c => Sandbox(c).CompanyId },
            new(PublicKey, "Public key", "Enter the API member's public key.") { Secret = true, SandboxValue = c => Sandbox(c).PublicKey },
            new(PrivateKey, "Private key", "Enter the API member's private key.")
            {
                Secret = true, Masked = true, Help = "Stored encrypted; never shown again", SandboxValue = c => Sandbox(c).PrivateKey,
            },
            new(ClientId, "Client ID", "Enter the client id from the ConnectWise developer portal.")
            {
                Secret = true,
                SandboxValue = c => Sandbox(c).ClientId is { Length: > 0 } id ? id : "easyconnect-sandbox",
            },
        ],
        Identify = settings => ConnectWiseCredentials.FromSettings(settings).Identity,
        Entities = new Dictionary<PsaEntity, PsaEntityCapabilities>
        {
            [PsaEntity.Members] = TopLevel,
            [PsaEntity.Companies] = TopLevel,
            [PsaEntity.Configurations] = TopLevel,
            [PsaEntity.Boards] = TopLevel,
            // service/boards/{id}/statuses: read board by board, in (last modified, id) order within each board only.
            [PsaEntity.Statuses] = new(HasLastModified: true, OrderedByLastModified: false, StablePaging: false, PageSize: 1_000, new PsaScope("board", PsaEntity.Boards)),
            [PsaEntity.Priorities] = TopLevel,
            [PsaEntity.Tickets] = TopLevel,
        },
        Sandbox = new(SandboxPath, services => services.GetService<ConnectWiseSandboxState>() is not null),
        SetupGuide = "docs/connectwise-setup.md",
    };

    private static ConnectWiseSandboxOptions Sandbox(PsaSandboxContext context) =>
        context.Services.GetRequiredService<ConnectWiseSandboxState>().Options;
}
