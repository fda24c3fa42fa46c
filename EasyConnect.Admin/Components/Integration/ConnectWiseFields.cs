namespace EasyConnect.Admin.Components.Integration;

/// <summary>The ConnectWise connection form's field names, shared with the ConnectWise client factory's settings.</summary>
internal static class ConnectWiseFields
{
    public const string Site = "site";
    public const string CompanyId = "companyId";
    public const string PublicKey = "publicKey";
    public const string PrivateKey = "privateKey";
    public const string ClientId = "clientId";

    public static string Label(string name) => name switch
    {
        Site => "Site",
        CompanyId => "Company ID",
        PublicKey => "Public key",
        PrivateKey => "Private key",
        ClientId => "Client ID",
        _ => name,
    };
}
